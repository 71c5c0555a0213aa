"""The archive's JSON API, mounted at /api/; each app adds its router here."""

from ninja import NinjaAPI

from backfile.search.api import router as search_router

api = NinjaAPI(title="Backfile", version="1", urls_namespace="api")
api.add_router("", search_router)
