"""Slack's two-step file upload, for FakeSlack: stricter than Slack, from the published method pages.

docs.slack.dev/reference/methods/files.getUploadURLExternal and …/files.completeUploadExternal:
1. `files.getUploadURLExternal` (`filename`, `length` in bytes — both required, `alt_txt` ≤ 1000
   characters, optional `snippet_type`) answers an `upload_url` and a `file_id`;
2. the file's bytes are POSTed to that URL (raw, or as multipart form data); a non-200 is a failure;
3. `files.completeUploadExternal` (`files`: a JSON array of `{"id", "title"?}`, and `channel_id`, or
   `channels`, with `thread_ts` naming a message's own ts — "never use a reply's ts", and one channel
   only) shares them. Both methods need the `files:write` scope.

Refused here where Slack may be more forgiving: an upload URL used twice or after its file was completed;
fewer or more bytes than the declared `length`; completing a file whose bytes never arrived, one
completed before, or one of another workspace's ids; a `thread_ts` that is not a top-level message of
that channel; `thread_ts` with several channels. The error strings of the last three are this sandbox's
own (Slack does not list them all): clients must treat every `ok: false` alike.
"""
from __future__ import annotations

import itertools
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sandbox.slack_rules import SlackError

ALT_TEXT_LIMIT = 1000
UPLOAD_LIMIT = 1_000_000_000  # Slack's per-file limit is 1 GB
FILES_SCOPE = "files:write"


@dataclass
class Upload:
    file_id: str
    filename: str
    length: int
    token: str
    alt_txt: str | None = None
    content: bytes | None = None  # set once the bytes arrived at the upload URL
    shared: bool = False


@dataclass
class SharedFile:
    file_id: str
    filename: str
    title: str
    content: bytes
    channel: str | None
    thread_ts: str | None
    alt_txt: str | None = None


@dataclass
class FileUploads:
    base_url: str = ""
    uploads: dict[str, Upload] = field(default_factory=dict)  # by file id
    shared: list[SharedFile] = field(default_factory=list)
    _by_token: dict[str, str] = field(default_factory=dict)
    _seq: Any = field(default_factory=lambda: itertools.count(1))

    def get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        filename = str(args.get("filename") or "")
        if not filename:
            raise SlackError("invalid_arguments", "missing required field: filename")
        length = _integer(args.get("length"))
        if not length:
            raise SlackError("missing_argument")  # Slack's word for a missing or zero length
        if length > UPLOAD_LIMIT:
            raise SlackError("file_upload_size_restricted")
        alt_txt = args.get("alt_txt")
        if alt_txt is not None and len(str(alt_txt)) > ALT_TEXT_LIMIT:
            raise SlackError("alt_txt_too_large")
        upload = Upload(f"F0UP{next(self._seq):06d}", filename, length, secrets.token_urlsafe(12),
                        str(alt_txt) if alt_txt is not None else None)
        self.uploads[upload.file_id] = upload
        self._by_token[upload.token] = upload.file_id
        return {"upload_url": f"{self.base_url}upload/v1/{upload.token}", "file_id": upload.file_id}

    async def receive(self, request: web.Request) -> tuple[int, str, dict[str, Any]]:
        """The POST to an upload URL: (status, text, what to record)."""
        upload = self.uploads.get(self._by_token.get(request.match_info["token"], ""))
        if upload is None:
            return 404, "unknown upload URL", {}
        if upload.content is not None or upload.shared:
            return 400, "this upload URL was used already", {"file_id": upload.file_id}
        content = await _file_bytes(request)
        seen = {"file_id": upload.file_id, "bytes": len(content), "declared": upload.length}
        if len(content) != upload.length:
            return 400, f"expected {upload.length} bytes, got {len(content)}", seen
        upload.content = content
        return 200, f"OK - {len(content)}", seen

    def complete(self, args: dict[str, Any], thread_exists: Any) -> dict[str, Any]:
        """`thread_exists(channel, ts)`: is `ts` a top-level message in that channel?"""
        files = _file_list(args.get("files"))
        channel, thread_ts = _destination(args)
        if thread_ts and (channel is None or not thread_exists(channel, thread_ts)):
            raise SlackError("invalid_thread_ts", "thread_ts must be the ts of a message (not a reply) in channel_id")
        ready = [self._ready(item) for item in files]
        for upload, item in ready:
            upload.shared = True
            self.shared.append(SharedFile(upload.file_id, upload.filename, str(item.get("title") or upload.filename),
                                          upload.content or b"", channel, thread_ts, upload.alt_txt))
        return {"files": [{"id": u.file_id, "name": u.filename, "title": str(i.get("title") or u.filename)}
                          for u, i in ready]}

    def _ready(self, item: dict[str, Any]) -> tuple[Upload, dict[str, Any]]:
        upload = self.uploads.get(str(item.get("id") or ""))
        if upload is None or upload.shared:
            raise SlackError("file_not_found")
        if upload.content is None:
            raise SlackError("file_upload_incomplete", f"no bytes were uploaded for {upload.file_id}")
        return upload, item


def _integer(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise SlackError("invalid_arguments", "length must be an integer") from None


def _file_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise SlackError("invalid_arguments", "files must be a JSON array") from None
    if not isinstance(value, list) or not value or not all(isinstance(f, dict) and f.get("id") for f in value):
        raise SlackError("invalid_arguments", "files must be a non-empty array of {id, title}")
    return value


def _destination(args: dict[str, Any]) -> tuple[str | None, str | None]:
    channel, channels, thread_ts = args.get("channel_id"), args.get("channels"), args.get("thread_ts")
    if channel and channels:
        raise SlackError("invalid_arguments", "give channel_id or channels, not both")
    if channels:
        several = [c for c in str(channels).split(",") if c]
        if thread_ts and len(several) > 1:
            raise SlackError("invalid_arguments", "only one channel when using thread_ts")
        channel = several[0] if several else None
    return (str(channel) if channel else None), (str(thread_ts) if thread_ts else None)


async def _file_bytes(request: web.Request) -> bytes:
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if getattr(part, "filename", None) is not None or getattr(part, "name", None) in ("file", "filename"):
                return bytes(await part.read())  # type: ignore[union-attr]
        return b""
    return await request.read()
