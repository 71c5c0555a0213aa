"""The desk's pages, under /desk/ (the admin's index links to them)."""

from django.urls import path

from backfile.desk import views, workitem_views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("ingests/", views.ingests, name="ingests"),
    path("ingests/new/", views.new_ingest, name="new-ingest"),
    path("ingests/<int:pk>/", views.ingest, name="ingest"),
    path("ingests/<int:pk>/progress.json", views.ingest_progress, name="ingest-progress"),
    path("audit/", views.audit, name="audit"),
]

urlpatterns += [
    path("work/", workitem_views.work_items, name="work-items"),
    path("work/<int:pk>/", workitem_views.work_item, name="work-item"),
    path("work/<int:pk>/handled/", workitem_views.handle, name="work-item-handled"),
    path("work/<int:pk>/take/", workitem_views.take_incoming, name="work-item-take"),
]
