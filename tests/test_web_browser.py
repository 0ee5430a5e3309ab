"""The web app in a real browser: the distribution's headless Chromium, driven by Selenium,
against the app fed by the emulator-driven bot, used as a coordinator and a member would.

Chromium and chromedriver come from Debian's packages (.ci/run installs them); nothing is
downloaded. Without them the tests skip, except in CI (CI=true), where they must run."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest

from tests.conftest import IN_CI, Clock
from tests.web_world import WebApp
from tests.world import A01, A02, LI, LIU, ZHANG, ZHAO, ZHOU, World

T = TypeVar("T")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SCREENSHOT = Path(__file__).parents[1] / "docs" / "web-overview.png"
WAIT = 15


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module, phone-sized."""
    if not (CHROMIUM and DRIVER):
        if IN_CI:
            pytest.fail("chromium and chromedriver must be installed in CI (see .ci/run)")
        pytest.skip("no chromium/chromedriver; apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=412,1600", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(flag)  # fmt: skip
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()


async def blocking(call: Callable[..., T], *args: Any) -> T:
    """Selenium blocks; the app under test runs on this loop, so the browser waits aside."""
    return await asyncio.to_thread(call, *args)


async def wait_until(driver: Any, condition: Callable[[Any], Any]) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return await blocking(WebDriverWait(driver, WAIT).until, condition)


async def open_as(driver: Any, web: WebApp, init_data: str) -> str:
    """Open /app/ as Telegram opens a Mini App (initData in the fragment); the final state."""
    await blocking(driver.get, "about:blank")
    await blocking(driver.get, f"{web.base}/app/#tgWebAppData={quote(init_data)}")
    return str(await wait_until(driver, lambda d: d.execute_script(
        "return ['ready', 'refused'].includes(document.body.dataset.state) "
        "&& document.body.dataset.state")))  # fmt: skip


async def report(world: World, who: Any, text: str, chat: int = A01) -> int:
    message = world.say(who, text, chat=chat)
    found = re.search(r"#(\d+)", (await world.reply_to(message)).text or "")
    assert found
    return int(found[1])


@pytest.fixture
async def county(web: WebApp, clock: Clock) -> AsyncIterator[WebApp]:
    """Two bound grids with four issues, one solved; looked at an hour later."""
    world = web.world
    world.say(ZHAO, "/bind A02", chat=A02)
    await world.in_group(A02, "已将本群绑定到网格 A02")
    first = await report(world, ZHANG, "3号楼门口的路灯坏了好几天了，晚上很黑")
    await report(world, LIU, "小区东门的垃圾桶满了没人清，臭得不行")
    await report(world, ZHOU, "3单元电梯又坏了，老人上下楼太难了")
    await report(world, LIU, "二网格的下水道堵了，污水流到路上", chat=A02)
    world.say(LI, f"/take {first}")
    await world.in_group(A01, "已认领")
    world.say(LI, f"/done {first} 已换好灯泡")
    await world.in_group(A01, "已解决")
    clock.advance(hours=1)
    yield web


def text_of(driver: Any, element_id: str) -> str:
    return str(driver.find_element("id", element_id).text)


async def test_coordinator_opens_the_overview_with_every_grid(
    browser: Any, county: WebApp
) -> None:
    assert await open_as(browser, county, county.signed(ZHAO)) == "ready"
    assert "赵敏" in text_of(browser, "who") and "3 个网格" in text_of(browser, "who")
    names = [a.text for a in browser.find_elements("css selector", "#areas a[data-level=grid]")]
    assert names == ["A01 幸福里第一网格", "A02 幸福里第二网格", "B01 桃源村网格"]
    cards = text_of(browser, "cards").split("\n")
    assert cards[:2] == ["登记", "4"] and "25%" in cards  # one of four solved
    assert browser.execute_script("return !!window.Chart && !!Chart.getChart('trend')")
    if os.environ.get("GRIDBOT_SCREENSHOT") or not SCREENSHOT.exists():
        await blocking(browser.save_screenshot, str(SCREENSHOT))


async def test_member_sees_only_their_grid(browser: Any, county: WebApp) -> None:
    assert await open_as(browser, county, county.signed(LI)) == "ready"
    names = [a.text for a in browser.find_elements("css selector", "#areas a[data-level=grid]")]
    assert names == ["A01 幸福里第一网格"]
    choices = browser.find_elements("css selector", "#f-grid option")
    grids = [option.get_attribute("value") for option in choices]
    assert grids == ["", "A01"]


async def test_forged_init_data_is_refused(browser: Any, county: WebApp) -> None:
    forged = county.signed(ZHAO).replace("2100", "2101")
    assert await open_as(browser, county, forged) == "refused"
    assert "无法确认您的身份" in text_of(browser, "status")
    assert not browser.find_element("id", "overview").is_displayed()


async def test_a_filter_narrows_the_list_and_a_click_opens_the_timeline(
    browser: Any, county: WebApp
) -> None:
    from selenium.webdriver.support.ui import Select

    assert await open_as(browser, county, county.signed(ZHAO)) == "ready"
    await blocking(browser.find_element("id", "tab-issues").click)
    await wait_until(browser, lambda d: "共 4 件" in d.find_element("id", "count").text)
    await blocking(browser.find_element("id", "f-q").send_keys, "电梯")
    await blocking(browser.find_element("id", "f-apply").click)
    await wait_until(browser, lambda d: "共 1 件" in d.find_element("id", "count").text)
    rows = browser.find_elements("css selector", "#list li")
    assert len(rows) == 1 and "电梯" in rows[0].text
    await blocking(Select(browser.find_element("id", "f-grid")).select_by_value, "A02")
    await blocking(browser.find_element("id", "f-q").clear)
    await blocking(browser.find_element("id", "f-apply").click)
    await wait_until(browser, lambda d: "下水道" in d.find_element("id", "list").text)
    assert "共 1 件" in text_of(browser, "count")
    first = browser.find_element("css selector", "#list li")
    number = first.get_attribute("data-n")
    await blocking(first.click)
    await wait_until(browser, lambda d: d.find_element("id", "timeline").is_displayed())
    assert text_of(browser, "t-head").startswith(f"#{number} ")
    assert "下水道" in text_of(browser, "t-text")
    assert "登记" in text_of(browser, "t-events")


async def test_a_figure_on_the_overview_opens_the_issues_behind_it(
    browser: Any, county: WebApp
) -> None:
    assert await open_as(browser, county, county.signed(ZHAO)) == "ready"
    link = browser.find_element("css selector", "#areas a[data-level=grid]")
    await blocking(link.click)
    await wait_until(browser, lambda d: "共 3 件" in d.find_element("id", "count").text)
    rows = browser.find_elements("css selector", "#list li .meta")
    assert rows and all(row.text.startswith("A01") for row in rows)
