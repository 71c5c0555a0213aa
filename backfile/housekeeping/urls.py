"""Housekeeping pages, under /desk/housekeeping/."""

from django.urls import path

from backfile.housekeeping import views

app_name = "housekeeping"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/<int:pk>/merge/", views.merge, name="merge"),
    path("issues/<int:pk>/move/", views.move, name="move"),
    path("issues/<int:pk>/split/", views.split, name="split"),
    path("issues/<int:pk>/renumber/", views.renumber, name="renumber"),
]
