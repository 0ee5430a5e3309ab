"""Roster files as a street office makes them: a workbook with a merged title, notes and
blank rows above the header, full-width and lower-case codes, a member on two rows, a
member without a Telegram id; and a CSV saved by Excel on Chinese Windows (GBK)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook


def messy_workbook(path: Path) -> Path:
    book = Workbook()
    grids = book.active
    assert grids is not None
    grids.title = "网格"
    grids.append(["城关街道网格花名册（2026年12月）"])
    grids.merge_cells("A1:F1")
    grids.append([])
    grids.append(["网格编号 ", "网格名称", "社区", "街道", "区县", "群ID"])
    grids.append(["Ａ０１", "幸福里第一网格", "幸福里社区", "城关街道", "东城区", -1001000000001])
    grids.append([])
    grids.append(["a02", "幸福里第二网格", "幸福里社区", "城关街道", "东城区", None])
    members = book.create_sheet("委员")
    members.append(["城关街道网格委员名单"])
    members.merge_cells("A1:H1")
    members.append(["填表说明：TelegramID 不知道的可以留空，系统会生成邀请二维码"])
    members.merge_cells("A2:H2")
    members.append([])
    header = ["序号", "姓 名", "ＴｅｌｅｇｒａｍＩＤ", "角色", "界别", "专长", "所属网格", "手机"]
    members.append(header)  # full-width letters and a space, as typed in a hurry
    members.append([1, "李明", 2001, "委员", "经济界", "市政", "Ａ０１", "13800138000"])
    members.append([2, "王芳", 2002, "委员", "医卫界", "医疗、社保", "A01", "13900139000"])
    members.append([None, None, None, None, None, None, None, None])
    # The same member again, for the second grid (as offices list one row per grid).
    members.append([3, "王芳", 2002, "委员", "医卫界", "养老", "ａ０２", "13900139000"])
    members.append([4, "孙丽", None, "委员", "妇联", "邻里", "A02", "13700137000"])
    members.append([5, "赵敏", 2100, "召集人", "联络站", "法律", None, None])
    members.append([6, "周强", 1234567890123456789, "委员", "", "", "A01", None])
    book.save(path)
    return path


GBK_MEMBERS = (
    "姓名,TelegramID,角色,界别,专长,网格\r\n"
    "陈刚,2003,委员,农业界,农业,Ａ０２\r\n"
    "钱多多,,网格员,工商联,物业,a01\r\n"
)


def gbk_csv(path: Path) -> Path:
    path.write_bytes(GBK_MEMBERS.encode("gbk"))
    return path
