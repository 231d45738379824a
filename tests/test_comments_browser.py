"""In Chromium, with a real Isso server on a free loopback port: comments load
only when the reader asks; new comments wait for approval; approved ones
show; replies nest and the author's replies are marked; whatever readers
type stays text; comments survive a restart of the server; and all of it
works under the Content Security Policy the site is meant to send."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest

from practice.tools import comments as runner
from fixturesite import fixture_site
from conftest import OWN_ARTICLES, ROOT, StaticServer, copy_project, free_port, run_build
from isso_server import ADMIN_PASSWORD, IssoServer, dev_config_with

pytestmark = pytest.mark.browser

THERAPIST_EMAIL = "alex@practice.example"

# The articles the tests own (tests/fixtures/site/articles/): one thread each.
ALLIANCE = "/blog/a-long-read-the-tests-own/"
TRUST = "/blog/a-short-note-number-1/"
ONLINE = "/blog/a-short-note-number-2/"
BREAK = "/blog/a-short-note-number-3/"
RESPONSE = "/blog/a-short-note-number-4/"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The site built against a real Isso server, both on free loopback ports.

    Isso runs with the project's development config, except that the rate
    limits and the rule against replying to oneself are relaxed: every
    comment in these tests comes from 127.0.0.1. Their effect has its own
    test below, with the config unchanged."""
    base = tmp_path_factory.mktemp("comments")
    project = fixture_site(base / "project", articles={
        p.name: p.read_text(encoding="utf-8") for p in OWN_ARTICLES.glob("*.md")})
    config = dev_config_with(base / "isso.cfg", ratelimit=100, direct_reply=100, reply_to_self="true")
    port = free_port()
    author_hash = runner.author_hash(THERAPIST_EMAIL, str(config))
    (project / "comments_test.py").write_text(
        "from pelicanconf import *\n"
        f"COMMENTS_URL = 'http://127.0.0.1:{port}'\n"
        f"COMMENTS_AUTHOR_HASHES = [{author_hash!r}]\n")
    out = project / "output"
    result = run_build("comments_test.py", out, cwd=project)
    assert result.returncode == 0, result.stderr
    with StaticServer(out) as site:
        isso = IssoServer(base / "db" / "comments.db", site.url, config, port=port)
        with isso:
            yield SimpleNamespace(site=site.url, isso=isso, out=out)


def comment_server_requests(page, live):
    return [u for u in page.watch.requests if u.startswith(live.isso.url)]


def open_article(page, live, path):
    page.goto(live.site + path)
    page.wait_for_load_state("load")


def show_comments(page):
    page.get_by_role("button", name="Show comments").click()
    page.wait_for_function(
        "() => { const h = document.querySelector('#isso-thread .isso-thread-heading');"
        " return h && h.textContent.length > 0; }")


def post(page, live, text, author="", email="", box=None):
    """Writes a comment in Isso's form and sends it; returns Isso's answer."""
    box = box or page.locator("#isso-thread > .isso-postbox")
    box.locator("textarea").fill(text)
    box.locator("input[name=author]").fill(author)
    box.locator("input[name=email]").fill(email)
    with page.expect_response(lambda r: r.url.startswith(live.isso.url + "/new")) as answer:
        box.locator("input[type=submit]").click()
    assert answer.value.status in (201, 202), answer.value.text()
    return answer.value.json()


def approve_in_admin(browser, live, comment_id):
    """The therapist's way: log in to Isso's admin page and press Validate."""
    ctx = browser.new_context()
    try:
        admin = ctx.new_page()
        admin.goto(live.isso.url + "/admin/")
        admin.locator("input[name=password]").fill(ADMIN_PASSWORD)
        admin.locator("input[name=password]").press("Enter")
        admin.wait_for_load_state("load")
        comment = admin.locator(f"#isso-{comment_id}")
        assert "Pending" in comment.inner_text()
        with admin.expect_response(lambda r: f"/id/{comment_id}/activate/" in r.url) as answer:
            comment.locator("a.validate").click()
        assert answer.value.status == 200
    finally:
        ctx.close()


def test_no_request_to_the_comment_server_until_the_reader_asks(page, live):
    page.goto(live.site + "/")
    page.wait_for_load_state("load")
    page.locator(".article-list :is(h2, h3) a").first.click()
    page.wait_for_load_state("load")
    page.locator("#comments").scroll_into_view_if_needed()
    assert page.get_by_role("button", name="Show comments").is_visible()
    assert comment_server_requests(page, live) == []

    show_comments(page)
    requests = comment_server_requests(page, live)
    assert requests[0] == live.isso.url + "/js/embed.min.js"
    assert any(u.startswith(live.isso.url + "/?uri=") for u in requests)
    assert not any("/css/isso.css" in u or "gravatar" in u for u in page.watch.requests)
    assert page.locator(".isso-thread-heading").inner_text() == "No comments yet"
    assert not page.get_by_role("button", name="Show comments").is_visible()
    assert page.watch.console_errors == []
    # Only the site and the comment server were asked for anything.
    assert [u for u in page.watch.foreign_requests(live.site) if not u.startswith(live.isso.url)] == []


CSP = ("default-src 'self'; script-src 'self' {origin}; connect-src 'self' {origin}; "
       "style-src 'self'; img-src 'self' data:")


def test_comments_work_under_the_sites_content_security_policy(page, live):
    # The article as it will be served with the site's policy: a copy of the
    # built page with the policy in a <meta> element (same thread, same site).
    policy = CSP.format(origin=live.isso.url)
    built = live.out / ONLINE.strip("/") / "index.html"
    html = built.read_text().replace(
        '<meta charset="utf-8">',
        f'<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="{policy}">', 1)
    assert policy in html
    copy = live.out / "csp-check" / "index.html"
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(html)

    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    open_article(page, live, "/csp-check/")
    show_comments(page)
    box = page.locator("#isso-thread > .isso-postbox")
    box.locator("textarea").fill("Does *this* work under the policy?")
    box.locator("input[name=preview]").click()
    page.wait_for_function("() => document.querySelector('.isso-preview .isso-text').textContent.length > 0")
    box.locator("input[name=edit]").click()
    post(page, live, "Posting under the policy.", author="Robin")
    assert page.evaluate("window.__violations") == []
    assert page.watch.console_errors == []


def test_a_new_comment_waits_for_approval_then_shows(page, browser, live):
    open_article(page, live, TRUST)
    show_comments(page)
    sent = post(page, live, "Thank you, this helped me understand my first session.", author="Sam")
    # The writer sees it, marked as waiting for approval ...
    mine = page.locator(f"#isso-{sent['id']}")
    assert "Waiting for approval" in mine.inner_text()

    # ... but nobody else does, and neither does the writer after a reload.
    other = browser.new_context().new_page()
    try:
        open_article(other, live, TRUST)
        show_comments(other)
        assert other.locator("#isso-root .isso-comment").count() == 0
        assert other.locator(".isso-thread-heading").inner_text() == "No comments yet"
    finally:
        other.context.close()
    page.reload()
    show_comments(page)
    assert page.locator(f"#isso-{sent['id']}").count() == 0

    approve_in_admin(browser, live, sent["id"])
    page.reload()
    show_comments(page)
    shown = page.locator(f"#isso-{sent['id']}")
    assert "helped me understand my first session" in shown.locator(".isso-text").inner_text()
    assert shown.locator(".isso-author").inner_text() == "Sam"
    assert "Waiting for approval" not in shown.inner_text()
    assert page.locator(".isso-thread-heading").inner_text() == "One Comment"


def approval_words():
    """When the practice says comments are usually approved (its profile)."""
    import yaml

    data = yaml.safe_load((ROOT / "content" / "practice.yaml").read_text(encoding="utf-8"))
    return ((data.get("comments") or {}).get("approval")) or None


def test_after_sending_the_reader_keeps_seeing_it_waiting_and_is_told_when(page, live):
    """While the page stays open the comment stays there, marked waiting for
    approval, and the status line says when comments are usually approved;
    nothing is stored on the device for it."""
    page.clock.install()
    open_article(page, live, RESPONSE)
    show_comments(page)
    sent = post(page, live, "Is a reply within a day normal?", author="Kim")
    mine = page.locator(f"#isso-{sent['id']}")
    assert "Waiting for approval" in mine.inner_text()
    status = page.locator("[data-comments-status]")
    status.filter(has_text="waiting for approval").wait_for()
    when = approval_words()
    if when:
        assert f"usually {when}" in status.inner_text()
    assert status.get_attribute("role") == "status"
    # Minutes later (Isso's own timers have run) and after another comment,
    # the first is still there and still marked.
    page.clock.fast_forward("05:00")
    second = post(page, live, "And may I ask a second question?", author="Kim")
    page.locator(f"#isso-{second['id']}").wait_for()
    page.clock.fast_forward("30:00")
    assert "Waiting for approval" in mine.inner_text()
    assert "Is a reply within a day normal?" in mine.locator(".isso-text").inner_text()
    assert isso_traces(page) == ([], [])
    assert page.evaluate("sessionStorage.length") == 0
    assert page.watch.console_errors == []


def test_the_note_says_when_comments_are_usually_approved(page, live):
    when = approval_words()
    if not when:
        pytest.skip("the profile does not say when comments are approved")
    open_article(page, live, RESPONSE)
    assert f"usually appear {when}" in page.locator(".comments-note").inner_text()


def test_the_website_field_is_not_offered(page, live):
    open_article(page, live, ALLIANCE)
    show_comments(page)
    box = page.locator("#isso-thread > .isso-postbox")
    assert box.locator("input[name=author]").is_visible()
    assert box.locator("input[name=email]").is_visible()
    assert not box.locator("input[name=website]").is_visible()
    assert page.get_by_label("Website").filter(visible=True).count() == 0
    # A comment that reached the server with a website (not through this
    # form) shows its author's name as text, not as a link to the site.
    status, sent = live.isso.post(ALLIANCE, "Sent with a website.", author="Lee",
                                  website="https://lee.example.org")
    assert status == 202, sent
    live.isso.activate(sent["id"])
    page.reload()
    show_comments(page)
    shown = page.locator(f"#isso-{sent['id']}")
    assert shown.locator(".isso-author").inner_text() == "Lee"
    assert shown.locator("a[href*='lee.example.org']").count() == 0
    assert page.watch.foreign_requests(live.site) == [] or all(
        u.startswith(live.isso.url) for u in page.watch.foreign_requests(live.site))


def isso_traces(page):
    """What Isso's client could leave in this browser: its local storage
    entries (name, e-mail, website) and its cookies."""
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('isso'))")
    return stored, [c["name"] for c in page.context.cookies()]


def test_posting_a_comment_leaves_nothing_in_the_browser(page, live):
    """On a shared computer nothing shows who commented: no cookie, and no
    stored name, e-mail address or website."""
    open_article(page, live, ONLINE)
    show_comments(page)
    sent = post(page, live, "Written on a shared computer.", author="Robin",
                email="robin@example.org")
    page.locator(f"#isso-{sent['id']}").wait_for()
    assert isso_traces(page) == ([], [])
    # The next person to open the comments finds an empty box.
    page.reload()
    show_comments(page)
    box = page.locator("#isso-thread > .isso-postbox")
    for name in ("author", "email"):
        assert box.locator(f"input[name={name}]").input_value() == "", name
    assert isso_traces(page) == ([], [])
    assert page.watch.console_errors == []


def test_the_page_removes_an_edit_cookie_a_comment_server_still_sends(page, live, tmp_path):
    """A comment server left at Isso's default 15-minute edit window sends an
    edit cookie for the site's pages; the page removes it at once."""
    config = dev_config_with(tmp_path / "isso.cfg", max_age="15m", ratelimit=100,
                             direct_reply=100, reply_to_self="true")
    live.isso.stop()
    try:
        with IssoServer(live.isso.db, live.isso.site, config, port=live.isso.port):
            open_article(page, live, BREAK)
            show_comments(page)
            with page.expect_response(lambda r: r.url.startswith(live.isso.url + "/new")) as answer:
                sent = post(page, live, "Sent to a server with an edit window.", author="Robin")
            assert answer.value.headers.get("x-set-cookie", "").startswith(f"isso-{sent['id']}=")
            page.locator(f"#isso-{sent['id']}").wait_for()
            stored, cookies = isso_traces(page)
            assert stored == [] and not [name for name in cookies if name.startswith("isso-")]
    finally:
        live.isso.start()


def test_replies_nest_and_the_authors_reply_is_marked(page, live):
    status, first = live.isso.post(ALLIANCE, "Is the alliance really the same online?",
                                   title="The therapeutic alliance", author="Jo")
    assert status == 202
    live.isso.activate(first["id"])

    open_article(page, live, ALLIANCE)
    show_comments(page)
    comment = page.locator(f"#isso-{first['id']}")
    comment.locator("a.isso-reply").first.click()
    reply_box = comment.locator(".isso-postbox")
    reply = post(page, live, "Mostly, yes: research finds it forms much the same way.",
                 author="The counselor", email=THERAPIST_EMAIL, box=reply_box)
    assert reply["parent"] == first["id"]
    second = post(page, live, "Good to know, thanks.", author="Jo")  # top level, from the reader
    live.isso.activate(reply["id"])
    live.isso.activate(second["id"])

    page.reload()
    show_comments(page)
    nested = page.locator(f"#isso-{first['id']} > .isso-follow-up > #isso-{reply['id']}")
    assert nested.count() == 1
    assert "research finds" in nested.locator(".isso-text").inner_text()
    assert "isso-is-page-author" in nested.get_attribute("class")
    assert "Article author" in nested.locator(".isso-comment-header").inner_text()
    # The readers' comments carry no such mark.
    for other in (first["id"], second["id"]):
        header = page.locator(f"#isso-{other} > .isso-text-wrapper > .isso-comment-header")
        assert "Article author" not in header.inner_text()
        assert "isso-is-page-author" not in page.locator(f"#isso-{other}").get_attribute("class")


def test_script_and_markup_from_readers_stay_inert(page, live):
    page.add_init_script("window.__pwned = [];")
    attack = "window.__pwned.push"
    open_article(page, live, BREAK)
    show_comments(page)
    # The form offers no website field; a hostile client sends one to the API.
    answers = [
        live.isso.post(BREAK,
                       f"<script>{attack}('text-script')</script>"
                       f"<img src=\"/pwned-text.png\" onerror=\"{attack}('text-img')\">"
                       f"<a href=\"javascript:{attack}('text-link')\">link</a>\n\n**still bold** and [a link](javascript:{attack}('md-link'))",
                       author=f"<img src=\"/pwned-author.png\" onerror=\"{attack}('author')\">Sam",
                       website=f"example.org/\"><img/src=/pwned-website.png/onerror={attack}('website')>"),
        live.isso.post(BREAK, "A second comment.", author="Kim",
                       website=f"https://example.org/'onmouseover='{attack}(1)'"),
    ]
    assert [status for status, _ in answers] == [202, 202], answers
    sent = [body for _, body in answers]
    # A javascript: address is not a website to Isso at all.
    status, _ = live.isso.post(BREAK, "Third.", website=f"javascript:{attack}('js')")
    assert status == 400
    for comment in sent:
        live.isso.activate(comment["id"])
    page.reload()
    show_comments(page)

    first = page.locator(f"#isso-{sent[0]['id']}")
    text = first.locator(".isso-text")
    assert text.locator("script, img, [onerror]").count() == 0
    assert text.locator("strong").inner_text() == "still bold"
    for link in text.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    author = first.locator(".isso-author")
    assert author.inner_text().startswith("<img")
    assert first.locator(".isso-comment-header img").count() == 0
    assert author.get_attribute("href") is None  # the website is not linked

    second = page.locator(f"#isso-{sent[1]['id']}").locator(".isso-author")
    assert second.inner_text() == "Kim"
    assert second.get_attribute("onmouseover") is None
    second.hover()  # would run an injected onmouseover

    assert page.evaluate("window.__pwned") == []
    assert not [u for u in page.watch.requests if "pwned" in u]


def test_comments_are_still_there_after_the_server_restarts(page, live):
    status, sent = live.isso.post(RESPONSE, "Kept across a restart.", title="Response times",
                                  author="Lee")
    assert status == 202
    live.isso.activate(sent["id"])
    open_article(page, live, RESPONSE)
    show_comments(page)
    assert "Kept across a restart." in page.locator(f"#isso-{sent['id']}").inner_text()

    live.isso.stop()
    live.isso.start()
    page.reload()
    show_comments(page)
    assert "Kept across a restart." in page.locator(f"#isso-{sent['id']}").inner_text()
    assert page.locator(".isso-thread-heading").inner_text() == "One Comment"


def test_the_development_config_holds_new_comments_and_limits_the_rate(tmp_path):
    """The shipped config, unchanged: comments wait (202), and a third comment
    within a minute from the same address is refused."""
    with IssoServer(tmp_path / "db" / "comments.db", "http://127.0.0.1:1") as isso:
        answers = [isso.post("/blog/a/", f"Comment number {n}.", title="A") for n in range(3)]
        assert [status for status, _ in answers] == [202, 202, 403]
        assert "ratelimit" in answers[2][1]
        assert isso.thread("/blog/a/")["total_replies"] == 0  # nothing shows before approval
        isso.activate(answers[0][1]["id"])
        assert isso.thread("/blog/a/")["total_replies"] == 1


def test_make_serve_runs_the_comment_server_and_stops_it(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "comments", project / "comments")
    site_port, comments_port, inbox_port = free_port(), free_port(), free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "practice.tools.serve", "--port", str(site_port), "--output", "output",
         "--comments-port", str(comments_port), "--inbox-port", str(inbox_port)],
        cwd=project, stdout=open(tmp_path / "serve.log", "w"), stderr=subprocess.STDOUT)
    try:
        assert runner.wait_until_ready(f"http://127.0.0.1:{comments_port}", serve, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{comments_port}/admin/", timeout=5) as r:
            assert r.status == 200  # the admin page is on
        assert (project / "var" / "comments" / "comments.db").exists()
        # The development inbox runs beside it, and the form posts to it.
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{inbox_port}/health", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()[-3000:]
                time.sleep(0.3)
        form = (project / "output" / "intake" / "index.html").read_text()
        assert f'action="http://127.0.0.1:{inbox_port}/requests"' in form and "data-public-key=" in form
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{comments_port}/config", timeout=2)
    # Nothing keeps running in the background: not the site server, not
    # Pelican's watcher (both are processes Pelican starts itself).
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{site_port}/", timeout=2)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{inbox_port}/health", timeout=2)
    assert processes_in(project) == []


def processes_in(folder):
    """Processes whose working directory is ``folder`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.path.realpath(os.readlink(f"/proc/{entry}/cwd")) == os.path.realpath(folder):
                    found.append(int(entry))
            except OSError:
                pass
    return found
