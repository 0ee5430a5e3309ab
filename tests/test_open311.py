"""Open311 GeoReport v2, read side (SPEC §11), read as a GeoReport client would: discovery,
services and requests in JSON and XML, only with an api_key, no names, texts masked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest

from bot.reports.open311 import SERVICE_CODES
from tests.conftest import Clock
from tests.web_world import OPEN311_KEY, WebApp
from tests.world import A01, LI, LIU, ZHANG, World

KEY = {"api_key": OPEN311_KEY}
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id",
}  # fmt: skip


async def report(world: World, who: object, text: str, **extra: object) -> int:
    message = world.say(who, text, **extra)  # type: ignore[arg-type]
    reply = await world.reply_to(message)
    found = re.search(r"#(\d+)", reply.text or "")
    assert found, reply.text
    return int(found[1])


def xml(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)


def has_offset(moment: str) -> bool:
    return datetime.fromisoformat(moment).utcoffset() is not None


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["discovery", "services", "requests", "requests/1"])
async def test_open311_refuses_callers_without_a_key(web: WebApp, fmt: str, path: str) -> None:
    for params in ({}, {"api_key": "wrong"}):
        status, body = await web.get(f"/open311/v2/{path}.{fmt}", **params)
        assert status == 401
        if fmt == "json":
            assert body[0]["code"] == 401
        else:
            assert xml(body).find("error/code").text == "401"  # type: ignore[union-attr]


async def test_open311_refused_altogether_without_keys_configured(web: WebApp) -> None:
    web.world.services.settings = type(web.world.services.settings)(
        **{**vars(web.world.services.settings), "open311_keys": ()}
    )
    assert (await web.get("/open311/v2/services.json", api_key=""))[0] == 401


async def test_discovery_names_the_endpoint_in_both_formats(web: WebApp) -> None:
    status, found = await web.get("/open311/v2/discovery.json", **KEY)
    assert status == 200
    [endpoint] = found["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/") and "application/json" in endpoint["formats"]
    status, body = await web.get("/open311/v2/discovery.xml", **KEY)
    root = xml(body)
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["application/json", "text/xml"]


async def test_one_service_per_category_with_stable_codes(web: WebApp) -> None:
    _, services = await web.get("/open311/v2/services.json", **KEY)
    names = [c.name for c in web.world.services.taxonomy.categories]
    assert [s["service_name"] for s in services] == names
    assert [s["service_code"] for s in services] == [SERVICE_CODES[n] for n in names]
    _, body = await web.get("/open311/v2/services.xml", **KEY)
    codes = [element.text for element in xml(body).findall("service/service_code")]
    assert codes == [s["service_code"] for s in services]
    assert {e.text for e in xml(body).findall("service/metadata")} == {"false"}


async def test_requests_carry_the_spec_fields_without_names_and_masked(web: WebApp) -> None:
    world = web.world
    number = await report(world, ZHANG, "3号楼路灯坏了，我是张阿姨，电话 13812345678")
    status, found = await web.get("/open311/v2/requests.json", **KEY)
    assert status == 200
    [request] = found
    assert set(request) == REQUEST_FIELDS  # no lat/long: no location was attached
    assert request["service_request_id"] == str(number) and request["status"] == "open"
    issue = await world.issue(number)
    assert request["service_code"] == SERVICE_CODES[issue.category]
    assert "13812345678" not in request["description"] and "138****5678" in request["description"]
    assert "张阿姨" not in str(found)
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert has_offset(request[key]), key
    solve_by = issue.solve_by.replace(microsecond=0)
    assert datetime.fromisoformat(request["expected_datetime"]) == solve_by
    _, body = await web.get("/open311/v2/requests.xml", **KEY)
    root = xml(body)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(number)  # type: ignore[union-attr]
    assert "张阿姨" not in body.decode()


async def test_request_follows_steps_to_closed(web: WebApp) -> None:
    world = web.world
    number = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    world.say(LI, f"/escalate {number} 城管局 路灯归城管局管，已发函督办")
    await world.in_group(A01, "已转交")
    _, [passed] = await web.get(f"/open311/v2/requests/{number}.json", **KEY)
    assert passed["status"] == "open" and passed["agency_responsible"] == "城管局"
    assert passed["status_notes"].endswith("路灯归城管局管，已发函督办")
    world.say(LI, f"/done {number} 城管局已换好灯泡")
    await world.in_group(A01, "已解决")
    _, [done] = await web.get(f"/open311/v2/requests/{number}.json", **KEY)
    assert done["status"] == "closed" and done["status_notes"] == "城管局已换好灯泡"
    assert done["expected_datetime"] == ""
    assert datetime.fromisoformat(done["updated_datetime"]) >= datetime.fromisoformat(
        passed["updated_datetime"]
    )
    _, body = await web.get(f"/open311/v2/requests/{number}.xml", **KEY)
    assert xml(body).find("request/status").text == "closed"  # type: ignore[union-attr]
    assert (await web.get("/open311/v2/requests/99999.json", **KEY))[0] == 404


async def test_requests_filters(web: WebApp, clock: Clock) -> None:
    world = web.world
    light = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    clock.advance(days=2)
    rubbish = await report(world, LIU, "小区东门的垃圾桶满了没人清，臭得不行")
    world.say(LI, f"/done {light} 换好了")
    await world.in_group(A01, "已解决")

    async def ids(**params: str) -> list[int]:
        status, found = await web.get("/open311/v2/requests.json", **KEY, **params)
        assert status == 200, found
        return [int(r["service_request_id"]) for r in found]

    assert await ids() == [rubbish, light]  # newest first
    assert await ids(status="open") == [rubbish]
    assert await ids(status="closed") == [light]
    code = SERVICE_CODES[(await world.issue(rubbish)).category]
    assert rubbish in await ids(service_code=code) and light not in await ids(service_code=code)
    since = (clock() - timedelta(days=1)).isoformat()
    assert await ids(start_date=since) == [rubbish]
    assert await ids(end_date=since) == [light]
    assert await ids(service_request_id=f"{light},{rubbish}") == [rubbish, light]
    assert (await web.get("/open311/v2/requests.json", **KEY, status="maybe"))[0] == 400
    assert (await web.get("/open311/v2/requests.json", **KEY, start_date="soon"))[0] == 400
    clock.advance(days=91)
    assert await ids() == []  # GeoReport's default: the last 90 days


async def test_location_only_when_attached_and_rounded(web: WebApp) -> None:
    world = web.world
    number = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    world.say(ZHANG, None, location=(30.251234, 120.164567))
    await world.settle()
    issue = await world.issue(number)
    assert issue.latitude is not None
    _, [request] = await web.get(f"/open311/v2/requests/{number}.json", **KEY)
    assert request["lat"] == 30.251 and request["long"] == 120.165
    _, body = await web.get(f"/open311/v2/requests/{number}.xml", **KEY)
    assert xml(body).find("request/lat").text == "30.251"  # type: ignore[union-attr]
