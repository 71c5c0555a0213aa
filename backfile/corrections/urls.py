from django.urls import path

from backfile.corrections import views

app_name = "corrections"

urlpatterns = [
    path("corrections/article/<int:pk>/", views.choose, {"kind": "article"}, name="article"),
    path(
        "corrections/article/<int:pk>/<int:number>/",
        views.suggest,
        {"kind": "article"},
        name="article-paragraph",
    ),
    path("corrections/page/<int:pk>/", views.choose, {"kind": "page"}, name="page"),
    path(
        "corrections/page/<int:pk>/<int:number>/",
        views.suggest,
        {"kind": "page"},
        name="page-paragraph",
    ),
]
