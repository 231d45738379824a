"""The few pages the inbox itself shows, to a browser without JavaScript.

They come from the inbox's own origin, so they load nothing at all (no
style sheet, no script, no image): plain, valid, accessible HTML. Each says
what to do next and links the site's crisis page, one step away as on
every page of the site. No page repeats anything the visitor typed.
"""

import html

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {practice}</title>
</head>
<body>
<main>
{body}
<p>If you are in danger or in crisis, go to our <a href="{site}/crisis/">crisis and emergencies page</a> now.</p>
</main>
</body>
</html>
"""


def page(config, title, body):
    return PAGE.format(title=html.escape(title), practice=html.escape(config.practice_name),
                       site=html.escape(config.site_url), body=body).encode("utf-8")


def _other_ways(config):
    items = []
    email = config.contact.get("email")
    phone = config.contact.get("phone")
    if email:
        items.append(f'<li>Email: <a href="mailto:{html.escape(email)}">{html.escape(email)}</a></li>')
    if phone:
        href = config.contact.get("phone_href") or phone
        items.append(f'<li>Phone: <a href="tel:{html.escape(href)}">{html.escape(phone)}</a></li>')
    items.append(f'<li>Our <a href="{html.escape(config.site_url)}/contact/">contact page</a></li>')
    return "<ul>" + "".join(items) + "</ul>"


def problems(config, errors):
    """The error summary (GOV.UK pattern) for a form that fails the page's rules."""
    items = "".join(f"<li>{html.escape(message)}</li>" for _, message in errors)
    body = (
        '<div class="error-summary" role="alert">\n'
        "<h1>There is a problem</h1>\n"
        f'<ul class="error-summary-list">{items}</ul>\n'
        "</div>\n"
        "<p>Nothing was sent to us. Use your browser’s Back button to return to the form "
        "with your answers, correct them and send it again.</p>\n"
        f'<p>Or start again on the <a href="{html.escape(config.site_url)}/intake/">request page</a>.</p>'
    )
    return page(config, "Error: There is a problem", body)


def refused(config, heading, reason):
    """A request the inbox would not take (automated-looking, too many, malformed)."""
    body = (f"<h1>{html.escape(heading)}</h1>\n<p>{html.escape(reason)} Nothing was stored.</p>\n"
            "<p>You can reach us another way:</p>\n" + _other_ways(config))
    return page(config, heading, body)
