"""Ingests from the desk: an upload or a folder of the server, run by the job queue, with its
progress and its report kept and listed. The queue runs in this process (sync mode)."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from lxml import html as lxml_html

from backfile.archive.models import Article
from backfile.desk import jobs
from backfile.desk.models import IngestJob
from tests.conftest import FIXTURES
from tests.desk.conftest import captures_zip

pytestmark = pytest.mark.django_db

LANTERN_ARTICLES = len(list((FIXTURES / "capture" / "the-lantern").glob("*.txt")))


def text_of(response) -> str:
    return " ".join(lxml_html.fromstring(response.content).text_content().split())


def upload(client, *paths, publication="The Lantern", capture=None):
    files = [path.open("rb") for path in paths]
    try:
        with capture(execute=True):
            return client.post("/desk/ingests/new/", {"files": files, "publication": publication})
    finally:
        for file in files:
            file.close()


def test_an_uploaded_zip_of_captures_is_ingested_and_its_report_kept(
    editor, queue_in_process, tmp_path, django_capture_on_commit_callbacks
):
    form = editor.get("/desk/ingests/new/")
    assert form.status_code == 200
    assert "Bring material in" in text_of(form)

    answer = upload(editor, captures_zip(tmp_path), capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 302
    job = IngestJob.objects.get()
    assert answer["Location"] == f"/desk/ingests/{job.pk}/"
    assert job.status == IngestJob.Status.FINISHED, job.problem
    assert job.created_by.username == "hilda"
    assert Article.objects.filter(issue__publication__name="The Lantern").count() == (
        LANTERN_ARTICLES
    )

    page = editor.get(answer["Location"])
    shown = text_of(page)
    assert page.status_code == 200
    assert "Finished" in shown
    assert f"{LANTERN_ARTICLES} files read" in shown
    assert f"added {LANTERN_ARTICLES}" in shown  # the command's own summary line
    added = lxml_html.fromstring(page.content).xpath('//td[@data-count="added"]')[0]
    assert added.text_content() == str(LANTERN_ARTICLES)
    # the articles are named as uploaded, never by the server's folder, and linked
    assert "lantern.zip!the-lantern/no-90-may-1952_night-buses.txt" in shown
    assert str(queue_in_process) not in page.content.decode()
    article = Article.objects.get(title__icontains="night buses")
    assert editor.get(article.get_absolute_url()).status_code == 200
    assert f'href="{article.get_absolute_url()}"' in page.content.decode()

    # the upload is gone once its run has ended
    assert not any(queue_in_process.iterdir())

    listing = editor.get("/desk/ingests/")
    assert listing.status_code == 200
    assert f"/desk/ingests/{job.pk}/" in listing.content.decode()
    assert "lantern.zip" in text_of(listing)

    progress = editor.get(f"/desk/ingests/{job.pk}/progress.json").json()
    assert progress["done"] is True and progress["status"] == "finished"
    assert progress["counts"]["added"] == LANTERN_ARTICLES


def test_the_same_upload_again_is_reported_unchanged(
    editor, queue_in_process, tmp_path, django_capture_on_commit_callbacks
):
    archive = captures_zip(tmp_path)
    upload(editor, archive, capture=django_capture_on_commit_callbacks)
    upload(editor, archive, capture=django_capture_on_commit_callbacks)
    second = IngestJob.objects.order_by("pk").last()
    assert second.count("unchanged") == LANTERN_ARTICLES
    assert second.count("added") == 0
    assert "unchanged 6" in second.summary_line or f"unchanged {LANTERN_ARTICLES}" in (
        second.summary_line
    )


def test_files_that_fail_are_listed_with_their_reasons(
    editor, queue_in_process, tmp_path, django_capture_on_commit_callbacks
):
    broken = sorted((FIXTURES / "capture" / "broken").glob("*.txt"))
    answer = upload(editor, *broken, capture=django_capture_on_commit_callbacks)
    job = IngestJob.objects.get()
    assert job.status == IngestJob.Status.FINISHED
    page = editor.get(answer["Location"])
    document = lxml_html.fromstring(page.content)
    failed = document.xpath('//section[@id="failed"]//li')
    assert failed, text_of(page)
    assert job.count("failed") == len(job.entries("failed")) > 0
    for entry in job.entries("failed"):
        assert entry["reason"], "every failure says why"
        assert entry["reason"] in text_of(page)


def test_an_upload_past_the_limit_is_refused_and_nothing_is_kept(
    editor, queue_in_process, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.BACKFILE_INGEST_MAX_UPLOAD_BYTES = 2048
    big = tmp_path / "big.txt"
    big.write_text("Features: A Long Read\n\n" + "words " * 2000)
    answer = upload(editor, big, capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 413
    assert "BACKFILE_INGEST_MAX_UPLOAD_BYTES" in text_of(answer)
    assert not IngestJob.objects.exists()
    assert not queue_in_process.exists() or not any(queue_in_process.iterdir())


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_copied_before_its_job_is_written_outside_any_transaction(
    tmp_path, settings, monkeypatch
):
    """A large upload takes a while to copy: no transaction is open meanwhile (on SQLite
    an open write holds the whole database's lock, and every other writer waits)."""
    settings.BACKFILE_INGEST_UPLOADS = str(tmp_path / "uploads")
    queued = []
    monkeypatch.setattr(jobs, "enqueue", queued.append)
    seen = []

    class Watched(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            seen.append((connection.in_atomic_block, IngestJob.objects.count()))
            yield from super().chunks(chunk_size)

    files = [Watched("rents.txt", b"Rents: Up Again\n\nwords"), Watched("b.txt", b"more")]
    job = jobs.start_upload(files, "The Lantern")
    assert seen == [(False, 0), (False, 0)]
    assert queued == [job]
    folder = tmp_path / "uploads" / f"job-{job.pk}"
    assert IngestJob.objects.get().folder == str(folder)
    assert sorted(path.name for path in folder.iterdir()) == ["b.txt", "rents.txt"]
    assert [path.name for path in (tmp_path / "uploads").iterdir()] == [folder.name]


@pytest.mark.django_db(transaction=True)
def test_an_upload_that_cannot_be_kept_leaves_no_job_and_no_files(tmp_path, settings):
    settings.BACKFILE_INGEST_UPLOADS = str(tmp_path / "uploads")
    settings.BACKFILE_INGEST_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError):
        jobs.start_upload([SimpleUploadedFile("big.txt", b"x" * 50)], "The Lantern")
    assert not IngestJob.objects.exists()
    assert not any((tmp_path / "uploads").iterdir())


def test_uploaded_names_never_leave_the_job_folder(tmp_path):
    folder = tmp_path / "job-1"
    files = [
        SimpleUploadedFile("../../outside.txt", b"one"),
        SimpleUploadedFile("..\\..\\windows.txt", b"two"),
        SimpleUploadedFile("/etc/passwd", b"three"),
        SimpleUploadedFile(".htaccess", b"four"),
        SimpleUploadedFile("outside.txt", b"five"),
    ]
    jobs.store_files(files, folder)
    kept = sorted(path.name for path in folder.iterdir())
    assert all(path.parent == folder for path in folder.iterdir())
    assert len(kept) == 5
    assert {"outside.txt", "windows.txt", "passwd", "upload-4"} < set(kept), kept
    assert not (tmp_path / "outside.txt").exists()


def test_a_folder_inside_the_ingest_roots_is_ingested_where_it_is(
    editor, queue_in_process, tmp_path, settings, django_capture_on_commit_callbacks
):
    root = tmp_path / "scans"
    shutil.copytree(FIXTURES / "capture" / "the-lantern", root / "lantern")
    settings.BACKFILE_INGEST_ROOTS = [str(root)]
    with django_capture_on_commit_callbacks(execute=True):
        answer = editor.post(
            "/desk/ingests/new/", {"folder": str(root / "lantern"), "publication": "The Lantern"}
        )
    assert answer.status_code == 302
    job = IngestJob.objects.get()
    assert job.status == IngestJob.Status.FINISHED
    assert job.count("added") == LANTERN_ARTICLES
    assert (root / "lantern").is_dir(), "a folder of the server is read, never removed"


@pytest.mark.parametrize("where", ["/etc", "{root}/../elsewhere", "{root}/link", "relative/path"])
def test_a_folder_outside_the_ingest_roots_is_refused(editor, tmp_path, settings, where):
    root = tmp_path / "scans"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    settings.BACKFILE_INGEST_ROOTS = [str(root)]
    folder = where.format(root=root)
    answer = editor.post("/desk/ingests/new/", {"folder": folder})
    assert answer.status_code == 400
    assert folder in text_of(answer)
    assert not IngestJob.objects.exists()


def test_without_ingest_roots_no_folder_is_offered(editor, settings):
    settings.BACKFILE_INGEST_ROOTS = []
    form = editor.get("/desk/ingests/new/")
    assert b'name="folder"' not in form.content
    answer = editor.post("/desk/ingests/new/", {"folder": "/etc"})
    assert answer.status_code == 400
    assert not IngestJob.objects.exists()


def test_a_waiting_job_says_so_and_its_page_follows_it(editor, tmp_path, settings):
    settings.BACKFILE_INGEST_ROOTS = [str(tmp_path)]
    job = jobs.start_folder(tmp_path, "", None)  # queued; no worker runs it here
    page = editor.get(job.get_absolute_url())
    shown = text_of(page)
    assert "Waiting for the worker" in shown and "backfile worker" in shown
    content = page.content.decode()
    assert '<meta http-equiv="refresh"' in content, "it reloads itself without JavaScript"
    assert "desk/progress" in content and "data-progress=" in content
    assert editor.get(f"/desk/ingests/{job.pk}/progress.json").json()["status"] == "queued"


def test_a_job_whose_worker_is_gone_is_said_to_have_stopped(editor, tmp_path, settings):
    settings.BACKFILE_INGEST_ROOTS = [str(tmp_path)]
    gone = jobs.start_folder(tmp_path, "", None)
    alive = jobs.start_folder(tmp_path, "", None)
    long_ago = timezone.now() - timedelta(minutes=10)
    IngestJob.objects.filter(pk=gone.pk).update(
        status=IngestJob.Status.RUNNING, started=long_ago, alive=long_ago
    )
    IngestJob.objects.filter(pk=alive.pk).update(
        status=IngestJob.Status.RUNNING, started=long_ago, alive=timezone.now()
    )
    assert "has stopped" in text_of(editor.get(gone.get_absolute_url()))
    assert "has stopped" not in text_of(editor.get(alive.get_absolute_url()))
    home = lxml_html.fromstring(editor.get("/desk/").content)
    running = home.xpath('//li[@data-item="jobs"]//span[@class="desk-count"]')[0]
    assert running.text_content() == "1", "only the job a worker still runs"

    assert jobs.abandon_orphans() == 1  # what `backfile worker` does as it starts
    gone.refresh_from_db()
    alive.refresh_from_db()
    assert gone.status == IngestJob.Status.STOPPED and "start it again" in gone.problem
    assert alive.status == IngestJob.Status.RUNNING
    assert "start it again" in text_of(editor.get(gone.get_absolute_url()))
