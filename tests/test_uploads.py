"""Which files may be kept as evidence: checked by name, size and content."""

import io
import zipfile

import pytest

from assessments.uploads import Rejected, check, safe_name

from .conftest import mp4, webm

MB = 1024 * 1024
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 16
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + b"\x00" * 64
WEBM = (
    bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810442858102") + b"\x00" * 32
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<document>" + "text " * 50 + "</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def run(name: str, data: bytes, recording: bool = False, document_limit: int = 20 * MB):
    return check(
        name,
        io.BytesIO(data),
        len(data),
        recording=recording,
        document_limit=document_limit,
        recording_limit=100 * MB,
    )


@pytest.mark.parametrize(
    ("name", "data", "recording", "content_type"),
    [
        ("report.pdf", PDF, False, "application/pdf"),
        (
            "plan.docx",
            office("docx"),
            False,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            office("xlsx"),
            False,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides.pptx",
            office("pptx"),
            False,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("letter.odt", odt(), False, "application/vnd.oasis.opendocument.text"),
        ("chart.PNG", PNG, False, "image/png"),
        ("photo.jpeg", JPEG, False, "image/jpeg"),
        ("notes.txt", "Plain notes, café ☕".encode(), False, "text/plain"),
        ("call.mp3", MP3, True, "audio/mpeg"),
        ("roleplay.mp4", MP4, True, "video/mp4"),
        ("voice.m4a", M4A, True, "audio/mp4"),
        ("iphone.m4a", MP4, True, "audio/mp4"),  # the same MPEG-4 container, branded differently
        ("screen.webm", WEBM, True, "video/webm"),
        ("slides-for-roleplay.pdf", PDF, True, "application/pdf"),  # a role-play's supporting document
    ],
)
def test_allowed_types_are_accepted_by_content_and_extension(name, data, recording, content_type):
    assert run(name, data, recording).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "recording", "message"),
    [
        ("setup.exe", EXE, False, "not a file type we accept"),
        ("report.pdf", EXE, False, "does not contain what its name says"),  # a renamed executable
        ("report.pdf", PNG, False, "does not contain what its name says"),  # wrong magic
        ("notes.txt", b"hello\x00world", False, "does not contain what its name says"),  # NUL bytes
        ("notes.txt", b"\xff\xfe\x00bad", False, "does not contain what its name says"),
        ("notes.txt", PDF, False, "does not contain what its name says"),  # a PDF posing as text
        ("plan.docx", PDF, False, "does not contain what its name says"),
        ("plan.docx", office("xlsx"), False, "does not contain what its name says"),
        (
            "plan.docx",
            office("docx", {"../../etc/passwd": b"x"}),
            False,
            "does not contain",
        ),  # traversal inside
        ("roleplay.mp4", PDF, True, "does not contain what its name says"),
        (
            "roleplay.mp4",
            MP4,
            False,
            "not a file type we accept",
        ),  # recordings only where a recording is asked
        ("empty.pdf", b"", False, "is empty"),
        ("noextension", PDF, False, "not a file type we accept"),
        ("script.html", b"<script>alert(1)</script>", False, "not a file type we accept"),
        ("image.svg", b"<svg onload=alert(1)>", False, "not a file type we accept"),
    ],
)
def test_bad_files_are_rejected_with_a_clear_reason(name, data, recording, message):
    with pytest.raises(Rejected) as rejected:
        run(name, data, recording)
    assert message in str(rejected.value)


def test_oversize_file_is_rejected_with_the_limit():
    with pytest.raises(Rejected, match="the limit here is 1 MB"):
        run("big.pdf", PDF + b"0" * MB, document_limit=MB)


def test_zip_bomb_in_an_office_file_is_rejected():
    bomb = office("docx", {"word/media/huge.xml": b"0" * (60 * MB)})
    with pytest.raises(Rejected, match="does not contain what its name says"):
        run("innocent.docx", bomb)


def test_pdf_polyglot_with_zip_inside_is_judged_as_what_its_name_says():
    polyglot = PDF + office("docx")
    assert (
        run("both.pdf", polyglot).content_type == "application/pdf"
    )  # stored and served as a PDF download only
    with pytest.raises(Rejected):
        run("both.docx", polyglot)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\kim\\My Report.docx", "My Report.docx"),
        ("report\x00.pdf.exe", "report.pdf.exe"),
        ("nai\u0308ve cafe\u0301.pdf", "naïve café.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 112 + ".pdf"),
        ("", "file"),
        ("<script>.pdf", "_script_.pdf"),
    ],
)
def test_original_names_are_sanitised(raw, safe):
    assert safe_name(raw) == safe


# A role-play the assessor must see (video_only): a recording has to hold a picture, not sound alone.
SEEN = {"recording": True, "document_limit": MB, "recording_limit": MB, "video_only": True}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("roleplay.mp4", mp4("vide", "soun")),
        ("silent.mp4", mp4("vide")),
        ("camera.mp4", mp4("soun", "vide", moov_last=True)),  # the track list after the media
        ("screen.webm", webm(1, 2)),
        ("script.pdf", PDF),  # a supporting document is not a recording
    ],
)
def test_a_role_play_that_must_be_seen_takes_a_recording_with_a_picture(name, data):
    stream = io.BytesIO(data)
    assert check(name, stream, len(data), **SEEN).name == name
    assert stream.tell() == 0  # rewound for storing


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("voice-memo.mp4", mp4("soun")),  # a phone's audio recording, named as a video
        ("voice-memo.mp4", mp4("soun", brand=b"M4A ")),
        ("call.webm", webm(2)),
        ("damaged.mp4", mp4("vide", "soun")[:40]),  # cut off before its tracks: nothing can be seen
        ("no-tracks.mp4", mp4()),
    ],
)
def test_a_role_play_that_must_be_seen_refuses_sound_alone(name, data):
    with pytest.raises(Rejected) as refused:
        check(name, io.BytesIO(data), len(data), **SEEN)
    assert f"“{name}” has no picture that we can find (it may hold sound only)" in str(refused.value)
    # Where the assessor need not see the learner, the same recording is welcome.
    assert check(name, io.BytesIO(data), len(data), **(SEEN | {"video_only": False}))
