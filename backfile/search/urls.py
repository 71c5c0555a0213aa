from django.urls import path

from backfile.search import advanced, views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/advanced/", advanced.advanced_search, name="advanced"),
]
