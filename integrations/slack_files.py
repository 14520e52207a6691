"""Downloading a photo someone attached in a modal, without letting a crafted URL reach anything else.

A submission's file object is data from the client; its `url_private_download` is only trusted
when it points at Slack's file host (or `SLACK_FILES_URL` in tests). The bot token goes only
there, redirects are followed only within the allowed hosts, and the answer must be an image —
by Content-Type *and* by its first bytes — of at most 10 MB, read in a bounded stream.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

MAX_BYTES = 10 * 1024 * 1024
SLACK_FILE_HOSTS = frozenset({"files.slack.com"})
MAX_REDIRECTS = 3
IMAGE_SIGNATURES = (  # magic bytes of the types the floor's phones produce
    (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF8", "image/gif"),
)


class FileRefused(Exception):
    """The file cannot be used; `str()` is safe to show the operator (no URL, no token)."""


@dataclass(frozen=True)
class Photo:
    content: bytes
    content_type: str
    name: str


class SlackFiles:
    def __init__(self, http: httpx.AsyncClient, *, bot_token: str, files_url: str | None = None,
                 max_bytes: int = MAX_BYTES) -> None:
        self.http, self.token, self.max_bytes = http, bot_token, max_bytes
        self.allowed: set[tuple[str, str, int | None]] = {("https", host, None) for host in SLACK_FILE_HOSTS}
        if files_url:  # a test or on-premise file host: exactly that scheme, host and port
            parts = urlsplit(files_url)
            self.allowed.add((parts.scheme, parts.hostname or "", parts.port))

    def trusted(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        if parts.username or parts.password:
            return False
        default_port = port in (None, 443) if parts.scheme == "https" else False
        return ((parts.scheme, parts.hostname or "", None) in self.allowed and default_port) or \
            (parts.scheme, parts.hostname or "", port) in self.allowed

    async def download_photo(self, file: dict[str, Any]) -> Photo:
        name = str(file.get("name") or "photo")[:100]
        if not str(file.get("mimetype", "")).startswith("image/"):
            raise FileRefused(f"{name} is not a photo; attach a JPG, PNG, WEBP or HEIC picture.")
        if int(file.get("size") or 0) > self.max_bytes:
            raise FileRefused(f"{name} is larger than {self.max_bytes // (1024 * 1024)} MB; take a smaller photo.")
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        content, content_type = await self._fetch(url, name)
        return Photo(content, sniff(content, content_type, name), name)

    async def _fetch(self, url: str, name: str) -> tuple[bytes, str]:
        for _ in range(MAX_REDIRECTS + 1):
            if not self.trusted(url):
                raise FileRefused(f"{name} is not stored on Slack, so it was not downloaded.")
            request = self.http.build_request("GET", url, headers={"Authorization": f"Bearer {self.token}"})
            response = await self.http.send(request, stream=True, follow_redirects=False)
            try:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                return await self._read(response, name)
            finally:
                await response.aclose()
        raise FileRefused(f"Slack redirected the download of {name} too many times.")

    async def _read(self, response: httpx.Response, name: str) -> tuple[bytes, str]:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code != 200:
            raise FileRefused(f"Slack did not hand over {name} (HTTP {response.status_code}).")
        if content_type == "text/html":
            raise FileRefused("Slack answered with a sign-in page: the bot needs the files:read permission.")
        if not content_type.startswith("image/"):
            raise FileRefused(f"{name} is not a photo.")
        if int(response.headers.get("content-length") or 0) > self.max_bytes:
            raise FileRefused(f"{name} is larger than {self.max_bytes // (1024 * 1024)} MB.")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                raise FileRefused(f"{name} is larger than {self.max_bytes // (1024 * 1024)} MB.")
        return bytes(body), content_type


def sniff(content: bytes, declared: str, name: str) -> str:
    """The image type by its first bytes; a declared image that is something else is refused."""
    for signature, kind in IMAGE_SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "image/heic"
    raise FileRefused(f"{name} does not look like a photo (declared {declared}).")
