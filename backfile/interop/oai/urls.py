"""URLs of oai: the one OAI-PMH endpoint, GET and POST alike."""

from django.urls import path

from backfile.interop.oai import views

app_name = "oai"

urlpatterns = [path("oai", views.endpoint, name="endpoint")]
