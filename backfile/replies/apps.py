from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "backfile.replies"
    label = "replies"
