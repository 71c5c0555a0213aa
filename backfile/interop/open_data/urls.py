from django.urls import path

from backfile.interop.open_data import views

app_name = "data"

urlpatterns = [path("data/", views.index, name="index")]
