from django.urls import path

from backfile.editing import body_views, revision_views

app_name = "editing"

urlpatterns = [
    path("articles/<int:pk>/body/", body_views.edit_body, name="body"),
    path("revisions/<str:kind>/<int:pk>/", revision_views.revisions, name="revisions"),
    path(
        "revisions/<str:kind>/<int:pk>/<int:number>/",
        revision_views.revision,
        name="revision",
    ),
    path(
        "revisions/<str:kind>/<int:pk>/<int:number>/restore/",
        revision_views.restore,
        name="restore",
    ),
]
