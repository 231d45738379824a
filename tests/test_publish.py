"""Publishing: what a publish build leaves out, a failed publish that leaves
the previous site untouched, and the deploy targets (without sending
anything anywhere: `make -n`, and ghp-import into a local scratch repo)."""

import datetime
import os
import shutil
import subprocess

import pytest

from conftest import built_once, copy_project, run_build
from sitepages import soup
from workflow import add_make_files, files_mentioning, make, make_own, write_article

FUTURE = datetime.date.today() + datetime.timedelta(days=90)
RECENT = datetime.date.today() - datetime.timedelta(days=10)


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    """A project with an article dated in the future, built both ways."""
    def make(folder):
        project = copy_project(folder / "project")
        write_article(project, "coming-soon.md", {
            "Title": "Coming soon to the blog", "Date": f"{FUTURE} 09:00", "Reviewed": str(FUTURE),
            "Category": "Therapy basics", "Tags": "scheduled", "Slug": "coming-soon-to-the-blog",
            "Summary": "A post that waits for its date."})
        dev = run_build("pelicanconf.py", project / "dev", cwd=project)
        pub = run_build("publishconf.py", project / "pub", cwd=project)
        assert dev.returncode == 0, dev.stderr
        assert pub.returncode == 0, pub.stderr
        return project

    return built_once(tmp_path_factory, "scheduled", make)


def test_a_future_dated_post_is_absent_from_a_publish_build(scheduled):
    out = scheduled / "pub"
    assert (out / "index.html").is_file()
    assert files_mentioning(out, "coming-soon-to-the-blog") == []
    assert files_mentioning(out, "Coming soon to the") == []
    # Not even as a draft file.
    assert not (out / "drafts").exists()


def test_a_future_dated_post_shows_as_scheduled_while_writing(scheduled):
    page = soup(scheduled / "dev" / "blog" / "coming-soon-to-the-blog" / "index.html")
    flag = page.select_one(".draft-flag")
    assert flag is not None and "Scheduled" in flag.get_text()
    home = soup(scheduled / "dev" / "index.html")
    link = home.select_one('.article-list a[href="/blog/coming-soon-to-the-blog/"]')
    assert link is not None
    assert link.find_parent("article").select_one(".draft-label").get_text() == "Scheduled"
    # Published articles carry no label.
    assert len(home.select(".article-list .draft-label")) == 1


def test_published_links_between_articles_and_pages_resolve(publish_site):
    """Every {filename} link in the content became a real address."""
    assert files_mentioning(publish_site, "{filename}") == []
    assert files_mentioning(publish_site, "{static}") == []


def test_publish_stops_on_lint_errors_and_leaves_output_untouched(project):
    add_make_files(make_own(project))
    first = make(project, "publish")
    assert first.returncode == 0, first.stdout + first.stderr
    out = project / "output"
    before = snapshot(out)
    assert (out / "index.html").is_file()
    write_article(project, "broken.md", {
        "Title": "Broken", "Date": f"{RECENT} 09:00", "Reviewed": str(RECENT),
        "Category": "Therapy basics", "Summary": "A broken link."},
        "See [this]({filename}/articles/not-there.md).")
    second = make(project, "publish")
    assert second.returncode != 0
    assert "not-there.md" in second.stdout
    assert "Traceback" not in second.stdout + second.stderr
    assert snapshot(out) == before
    assert not list(project.glob(".build-*")) and not list(project.glob("output.old-*"))


def test_a_failed_publish_build_leaves_output_untouched(project):
    out = project / "output"
    first = run_build("publishconf.py", out, cwd=project)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    # A settings mistake only the publish settings have: lint cannot see it,
    # the build itself fails.
    conf = project / "publishconf.py"
    conf.write_text(conf.read_text() + "\nFEED_ALL_ATOM = 'feeds/all.atom.xml\n")
    second = run_build("publishconf.py", out, cwd=project)
    assert second.returncode != 0
    assert second.stderr.startswith("error: publishconf.py:")
    assert snapshot(out) == before
    assert not list(project.glob(".build-*"))


def test_a_duplicate_slug_stops_the_build_with_one_line(project):
    out = project / "output"
    write_article(project, "again.md", {
        "Title": "Again", "Date": f"{RECENT} 09:00", "Reviewed": str(RECENT),
        "Category": "Therapy basics", "Slug": "coming-soon-twice", "Summary": "Again."})
    write_article(project, "first.md", {
        "Title": "First", "Date": f"{RECENT} 09:00", "Reviewed": str(RECENT),
        "Category": "Therapy basics", "Slug": "coming-soon-twice", "Summary": "First."})
    result = run_build("publishconf.py", out, cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
    assert len(errors) == 1 and ": Slug: " in errors[0], result.stderr
    assert not out.exists()


# ---- preview and publish never share a folder --------------------------------

def test_make_html_builds_the_preview_and_leaves_the_publish_folder_alone(makeproject):
    published = makeproject / "output"
    published.mkdir(exist_ok=True)
    (published / "index.html").write_text("the site as published", encoding="utf-8")
    before = snapshot(published)
    result = make(makeproject, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (makeproject / "var" / "preview" / "index.html").is_file()
    assert snapshot(published) == before
    # `make check` checks that preview, and no deploy target uploads it.
    check = make(makeproject, "-n", "check")
    assert "CHECK_OUTPUT=var/preview " in check.stdout, check.stdout
    for target, setting in (("rsync_upload", "SSH_HOST=h SSH_TARGET_DIR=/d"), ("s3_upload", "S3_BUCKET=b"),
                            ("github", "")):
        lines = make(makeproject, "-n", target, *setting.split()).stdout
        assert "var/preview" not in lines, target
    shutil.rmtree(published)


# ---- deploy targets ---------------------------------------------------------

@pytest.fixture(scope="module")
def makeproject(tmp_path_factory):
    return add_make_files(make_own(copy_project(tmp_path_factory.mktemp("deploy") / "project")))


def test_rsync_upload_publishes_then_syncs_to_the_host(makeproject):
    result = make(makeproject, "-n", "rsync_upload", "SSH_HOST=web.example.org",
                  "SSH_USER=alex", "SSH_PORT=2222", "SSH_TARGET_DIR=/srv/www/site")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    publish = next(i for i, l in enumerate(lines) if "practice.tools.build --settings publishconf.py" in l)
    rsync = next(i for i, l in enumerate(lines) if l.startswith("rsync "))
    assert publish < rsync
    assert "alex@web.example.org:/srv/www/site" in lines[rsync]
    assert "--delete" in lines[rsync] and "ssh -p 2222" in lines[rsync]


@pytest.mark.parametrize("target, setting", [("rsync_upload", "SSH_HOST"), ("s3_upload", "S3_BUCKET")])
def test_a_deploy_target_without_its_setting_stops_before_anything(makeproject, target, setting):
    result = make(makeproject, target)
    assert result.returncode != 0
    assert f"set {setting}" in result.stderr
    assert not (makeproject / "output").exists()


def test_s3_upload_publishes_then_syncs_the_bucket(makeproject):
    result = make(makeproject, "-n", "s3_upload", "S3_BUCKET=my-site-bucket")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    publish = next(i for i, l in enumerate(lines) if "practice.tools.build --settings publishconf.py" in l)
    sync = next(i for i, l in enumerate(lines) if l.startswith("aws s3 sync "))
    assert publish < sync
    assert 'output/ "s3://my-site-bucket" --delete' in lines[sync]


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_github_publishes_to_the_gh_pages_branch_of_the_remote(makeproject, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(makeproject, "init", "--quiet")
    git(makeproject, "remote", "add", "origin", str(remote))
    env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org")
    result = make(makeproject, "github", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "index.html" in files and ".nojekyll" in files
    assert {f"blog/{p.parent.name}/index.html" for p in (makeproject / "output" / "blog").glob("*/index.html")} <= set(files)
    published = git(remote, "show", "gh-pages:index.html")
    assert published == (makeproject / "output" / "index.html").read_text()
