from django import template

from kartusehat.home import home_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def work_sections(context):
    """The sections of the signed-in user's home page."""
    request = context.get("request")
    return home_sections(request) if request is not None else []
