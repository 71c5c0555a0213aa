from django.urls import path

from backfile.media import views

urlpatterns = [
    path("media/<path:name>", views.stored_file, name="media-file"),
]
