"""`{% desk_todo as todo %}`: what needs doing, for the admin's index (todo.items, todo.ingests)."""

from __future__ import annotations

from django import template

from backfile.desk import todo

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_todo(context) -> dict:
    user = context["request"].user
    return {"items": todo.items_for(user), "ingests": todo.recent_ingests(user)}
