from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "backfile.related"
    label = "related"
    verbose_name = "Related articles"

    def ready(self) -> None:
        from backfile.related import signals  # noqa: F401  (keeps the terms in step with ingests)
        from backfile.related.terms import salient_of_analysed
        from backfile.search.index import ALONGSIDE

        # an article's salient terms, counted where the search index analyses its text
        ALONGSIDE[SALIENT] = salient_of_analysed


SALIENT = "related.salient"
