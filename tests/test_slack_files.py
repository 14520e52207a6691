"""Photo downloads: only from Slack's file host, only images, at most 10 MB — no SSRF."""
from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from integrations.slack_files import FileRefused, SlackFiles
from sandbox.slack import FakeSlack

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[str, list[str]]]:
    """Another server on loopback, standing in for an internal address a crafted URL could name."""
    hits: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        hits.append(request.headers.get("Authorization", ""))
        if request.path == "/redirect":
            raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")
        return web.Response(body=PNG, content_type="image/png")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.2", 0)
    await site.start()
    yield f"http://127.0.0.2:{runner.addresses[0][1]}", hits
    await runner.cleanup()


def files(slack: FakeSlack, http: httpx.AsyncClient, token: str | None = None) -> SlackFiles:
    return SlackFiles(http, bot_token=token or slack.bot_token, files_url=slack.base_url)


async def test_downloads_a_photo_from_slack(slack: FakeSlack) -> None:
    async with httpx.AsyncClient() as http:
        photo = await files(slack, http).download_photo(slack.add_file("slip.jpg", JPEG, "image/jpeg"))
    assert photo.content == JPEG and photo.content_type == "image/jpeg"


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                                 "https://files.slack.com.evil.example/x.png", "https://user:pw@files.slack.com/x.png",
                                 "gopher://files.slack.com/x", "https://files.slack.com:8443/x.png", "not a url"])
async def test_urls_outside_slack_are_never_fetched(slack: FakeSlack, elsewhere, url: str) -> None:
    base, hits = elsewhere
    file = {"name": "slip.png", "mimetype": "image/png", "size": 10, "url_private_download": url}
    async with httpx.AsyncClient() as http:
        with pytest.raises(FileRefused, match="not stored on Slack"):
            await files(slack, http).download_photo(file)
        with pytest.raises(FileRefused):
            await files(slack, http).download_photo({**file, "url_private_download": f"{base}/x.png"})
    assert hits == []  # the token never left for another host


async def test_redirect_away_from_slack_is_refused(slack: FakeSlack, elsewhere) -> None:
    base, hits = elsewhere
    async with httpx.AsyncClient() as http:
        trusting_both = SlackFiles(http, bot_token=slack.bot_token, files_url=base)
        with pytest.raises(FileRefused, match="not stored on Slack"):
            await trusting_both.download_photo({"name": "a.png", "mimetype": "image/png", "size": 1,
                                                "url_private_download": f"{base}/redirect"})
    assert len(hits) == 1  # followed nowhere


async def test_not_an_image_is_refused(slack: FakeSlack) -> None:
    async with httpx.AsyncClient() as http:
        downloader = files(slack, http)
        with pytest.raises(FileRefused, match="not a photo"):
            await downloader.download_photo(slack.add_file("slip.pdf", b"%PDF-1.4", "application/pdf"))
        with pytest.raises(FileRefused, match="does not look like a photo"):  # lies about its type
            await downloader.download_photo(slack.add_file("slip.png", b"#!/bin/sh\nrm -rf /", "image/png"))
        with pytest.raises(FileRefused, match="not a photo"):
            await downloader.download_photo(slack.add_file("s.png", PNG, "image/png", served_as="application/zip"))


async def test_without_the_right_token_slack_sends_a_login_page(slack: FakeSlack) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(FileRefused, match="files:read"):
            await files(slack, http, token="xoxb-wrong").download_photo(slack.add_file("a.png", PNG, "image/png"))


async def test_over_10_mb_is_refused_even_if_the_file_object_lies(slack: FakeSlack) -> None:
    big = PNG + b"\x00" * (10 * 1024 * 1024)
    file = {**slack.add_file("big.png", big, "image/png"), "size": 1000}
    async with httpx.AsyncClient() as http:
        with pytest.raises(FileRefused, match="larger than 10 MB"):
            await files(slack, http).download_photo(file)
        with pytest.raises(FileRefused, match="larger than 10 MB"):
            await files(slack, http).download_photo({**file, "size": len(big)})
