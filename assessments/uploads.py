"""Deciding whether an uploaded file may be kept as evidence: by its name, its size and its content."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, BinaryIO

import filetype

if TYPE_CHECKING:  # hachoir itself is imported on first use
    from hachoir.field import FieldSet

DOCUMENTS = {  # extension → (type detected from the content, MIME type served)
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "txt": ("txt", "text/plain"),
}
RECORDINGS = {
    "mp3": ("mp3", "audio/mpeg"),
    "m4a": ("m4a", "audio/mp4"),
    "mp4": ("mp4", "video/mp4"),
    "webm": ("webm", "video/webm"),
}
AUDIO = {"mp3", "m4a"}  # refused where the assessor must see the learner (a video_only item)
# Phones label the same MPEG-4 container either way.
SAME_CONTAINER = {"m4a": {"m4a", "mp4"}, "mp4": {"mp4", "m4a"}}
OFFICE = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ZIP_LIMITS = {"members": 5000, "unpacked": 300 * 1024 * 1024, "ratio": 100}


class Rejected(ValueError):
    """The upload may not be kept; the message says why, in words a learner understands."""


@dataclass(frozen=True)
class Accepted:
    name: str  # a safe version of the learner's file name, for display and download
    content_type: str


def safe_name(raw: str) -> str:
    """The file's own name without any folder, control characters or odd Unicode, at most 120 characters."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name
    name = unicodedata.normalize("NFC", name).replace("\x00", "")
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"[\\/:*?\"<>|]+", "_", name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 115 - len(ext)] + dot + ext) if dot else name[:120]
    return name or "file"


def allowed(recording: bool, video_only: bool = False) -> dict[str, tuple[str, str]]:
    """Role-play items take a recording and its supporting documents; other items take documents."""
    if not recording:
        return DOCUMENTS
    return DOCUMENTS | {e: kind for e, kind in RECORDINGS.items() if not (video_only and e in AUDIO)}


def check(
    raw_name: str,
    stream: BinaryIO,
    size: int,
    *,
    recording: bool,
    document_limit: int,
    recording_limit: int,
    video_only: bool = False,
) -> Accepted:
    """Accept the file or raise Rejected. `stream` is read from the start and rewound."""
    name = safe_name(raw_name)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kinds = allowed(recording, video_only)
    limit = recording_limit if extension in RECORDINGS else document_limit
    if recording and video_only and extension in AUDIO:
        raise Rejected(
            f"“{name}” is an audio recording, and this role-play must be seen: upload a video "
            "(MP4 or WEBM), or book a live observation with your assessor."
        )
    if extension not in kinds:
        listed = ", ".join(sorted(e.upper() for e in kinds if e != "jpeg"))
        raise Rejected(f"“{name}” is not a file type we accept here. Accepted types: {listed}.")
    if size == 0:
        raise Rejected(f"“{name}” is empty.")
    if size > limit:
        raise Rejected(f"“{name}” is {size / 1e6:.1f} MB; the limit here is {limit / 1e6:.0f} MB.")
    expected, content_type = kinds[extension]
    head = stream.read(8192)
    stream.seek(0)
    if not _content_matches(expected, head, stream):
        raise Rejected(
            f"“{name}” does not contain what its name says (a {extension.upper()} file). "
            "Save or export it again in that format and upload it again."
        )
    if video_only and extension in RECORDINGS and not shows_video(stream):  # not its supporting documents
        raise Rejected(
            f"“{name}” has no picture that we can find (it may hold sound only), and this role-play "
            "must be seen: upload a video recording that shows you, or book a live observation with "
            "your assessor."
        )
    return Accepted(name, content_type)


# Where a recording's tracks say what they hold: (the atom's tag, the field set hachoir names its content)
# from the top of an MP4 down to each track's handler.
MP4_HANDLERS = (("moov", "movie"), ("trak", "track"), ("mdia", "media"), ("hdlr", "hdlr"))


def shows_video(stream: BinaryIO) -> bool:
    """Whether an MP4 or WebM recording has a video track. A phone's voice memo is often an MPEG-4 file
    with sound only. Only the headers are read, wherever they are (an MP4's may follow its media);
    a file whose tracks cannot be read shows nothing."""
    from hachoir.core import config  # imported on first use: most requests never need it
    from hachoir.parser import guessParser
    from hachoir.parser.container.mkv import MkvFile
    from hachoir.stream import InputIOStream

    config.quiet = True  # a damaged file is refused with a message, not logged as hachoir warnings
    try:
        parser = guessParser(InputIOStream(stream, source="upload"))
        if parser is None:
            return False
        kinds = set(_mkv_track_types(parser) if isinstance(parser, MkvFile) else _mp4_handlers(parser))
    except Exception:  # what hachoir raises on hostile or damaged input: no video found
        return False
    finally:
        stream.seek(0)
    return bool(kinds & {"vide", "video"})


def _mp4_handlers(container: FieldSet, path: tuple[tuple[str, str], ...] = MP4_HANDLERS) -> Iterator[str]:
    """The handler type of each track ("vide", "soun"), following `path` down from `container`."""
    (tag, content), below = path[0], path[1:]
    for atom in container:
        if atom.name.startswith("atom[") and atom["tag"].value == tag:
            yield from _mp4_handlers(atom[content], below) if below else (atom[f"{content}/subtype"].value,)


def _mkv_track_types(parser: FieldSet) -> Iterator[str]:
    """The type of each track ("video", "audio") in a Matroska or WebM file's track list."""
    for segment in parser:
        if segment.name.startswith("Segment"):
            for part in segment:
                if part.name.startswith("Tracks"):
                    yield from (
                        entry["TrackType/enum"].display
                        for entry in part
                        if entry.name.startswith("TrackEntry")
                    )
                    return  # the media clusters follow: never read them


def _content_matches(expected: str, head: bytes, stream: BinaryIO) -> bool:
    if expected == "txt":
        return _is_plain_text(stream)
    kind = filetype.guess(head)
    detected = kind.extension if kind else None
    if detected not in SAME_CONTAINER.get(expected, {expected}):
        return False
    if expected in OFFICE or expected == "odt":
        return _is_sound_office_file(expected, stream)
    return True


def _is_plain_text(stream: BinaryIO) -> bool:
    data = stream.read()
    stream.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return filetype.guess(data[:8192]) is None


def _is_sound_office_file(expected: str, stream: BinaryIO) -> bool:
    """An office file is a zip: refuse zip bombs, traversal names and zips that are not that document."""
    try:
        with zipfile.ZipFile(io.BytesIO(stream.read())) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return False
    finally:
        stream.seek(0)
    names = [m.filename for m in members]
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if len(members) > ZIP_LIMITS["members"] or unpacked > ZIP_LIMITS["unpacked"]:
        return False
    if unpacked / packed > ZIP_LIMITS["ratio"]:
        return False
    if any(n.startswith(("/", "\\")) or ".." in PurePosixPath(n).parts for n in names):
        return False
    if expected == "odt":
        return "mimetype" in names
    return "[Content_Types].xml" in names and any(n.startswith(OFFICE[expected]) for n in names)
