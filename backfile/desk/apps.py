from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeskConfig(AppConfig):
    name = "backfile.desk"
    label = "desk"
    verbose_name = "Editors' desk"

    def ready(self):
        from django.contrib import admin

        from backfile.desk import workitems  # noqa: F401  (conflicts and notices kept)
        from backfile.desk.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="backfile.desk.roles")
        # The admin's index opens with what needs doing (backfile.desk.todo)
        admin.site.index_template = "desk/admin_index.html"
