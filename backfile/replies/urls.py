from django.urls import path

from backfile.replies import views

app_name = "replies"

urlpatterns = [
    path("replies/<int:article_id>/post/", views.post_reply, name="post"),
]
