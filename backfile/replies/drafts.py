"""A refused reply, kept for its writer between the POST and the article page it returns to.

The POST that refuses a reply answers with a redirect (303, see `views`) to the
article's own address at `#reply-errors`; the reader's words and the reasons wait
in their session, and the article page takes them out, once, the next time it is
shown to them (`take`, called by the replies section). The session cookie makes
that page personal (`backfile.caching.http.is_personal`): it is made for this
reader alone, never stored in the page cache nor served from it, so no one else
ever sees another reader's words or errors.

A draft waits at most DRAFT_SECONDS; a session that held nothing else is emptied
and deleted once its draft is taken, so the reader's later pages come from the
cache again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest

from backfile.archive.models import Article
from backfile.replies import moderation
from backfile.replies.forms import ReplyForm

SESSION_KEY = "backfile_reply_draft"
KEPT_FIELDS = ("name", "email", "text", "parent")  # never the honeypot: it is offered empty
DRAFT_SECONDS = 60 * 60
EXPIRY_KEY = "_session_expiry"  # where Django's set_expiry keeps its choice


def keep(request: HttpRequest, form: ReplyForm) -> None:
    """Keep what the reader typed and why it was refused, for the page they return to."""
    session = request.session
    held_nothing = not _contents(session)
    # Words beyond any browser's maxlength are a robot's: a bounded amount is kept.
    cap = 4 * moderation.max_length()
    session[SESSION_KEY] = {
        "article": form.article.pk,
        "data": {name: form.data.get(name, "")[:cap] for name in KEPT_FIELDS},
        "errors": form.errors.get_json_data(),
    }
    if held_nothing:  # a reader's own session: short-lived (never shorten an editor's)
        session.set_expiry(DRAFT_SECONDS)


def take(request: HttpRequest | None, article: Article) -> ReplyForm | None:
    """The refused form for `article` kept in this reader's session (taken out of it), with
    its words and reasons as they were refused; or None."""
    session = getattr(request, "session", None)
    if session is None or not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return None  # no session: nothing kept, and nothing to load
    draft = session.get(SESSION_KEY)
    if not isinstance(draft, dict) or draft.get("article") != article.pk:
        return None
    del session[SESSION_KEY]
    if not _contents(session):
        session.flush()  # nothing else in it: the cookie goes, later pages are shared again
    form = ReplyForm(draft.get("data", {}), article=article)
    form.cleaned_data, form._errors = {}, ErrorDict()  # the reasons given, not judged again
    for field, errors in draft.get("errors", {}).items():
        name = None if field == NON_FIELD_ERRORS or field not in form.fields else field
        for error in errors:
            form.add_error(name, ValidationError(error["message"], code=error.get("code")))
    return form


def _contents(session) -> set[str]:
    """What a session holds besides a draft and the expiry a draft gave it."""
    return set(session.keys()) - {SESSION_KEY, EXPIRY_KEY}
