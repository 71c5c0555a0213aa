from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "backfile.media"
    label = "media"
    verbose_name = "Pictures"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from backfile.caching.receivers import row_changed
        from backfile.media.images import set_pixel_limit
        from backfile.media.models import Asset

        set_pixel_limit(settings.BACKFILE_MEDIA_MAX_PIXELS)
        # An editor's new alt text or caption retires the cached pages that show it.
        post_save.connect(row_changed, sender=Asset, dispatch_uid="media.saved")
        post_delete.connect(row_changed, sender=Asset, dispatch_uid="media.deleted")
