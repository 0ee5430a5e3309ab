"""Write fresh10.csv from the hand-written rows in rows_*.txt (label|urgent|kind|text).

The rows were each written by hand; this script only reads them, checks them and writes the CSV.
"""
import csv
import collections
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
NAMES = {
    "N": "非诉求", "治": "治安安全", "市": "市政设施", "物": "物业管理", "环": "环境卫生",
    "邻": "邻里纠纷", "社": "社会保障", "医": "医疗卫生", "交": "交通出行", "教": "教育文体",
    "农": "农业农村", "其": "其他",
}
# characters that appear only in Traditional script (used to count Traditional rows)
TRAD = set("這個們說話電燈樓嘅咗喺唔實現後裡場區處車門開關鐘聽麼壞蓋細頭閘單廁國學體醫藥舖燒煙災窗風鬆塊廣應聞廠漆鄰點會見議務費遷聯環條邊發淹總衝濕曬謝時過報號氣獲擴戶嗆飄攤撲隊沒週溫嗎謝") - set("窗漆淹")

rows = []
for name in ("rows_non.txt", "rows_problems.txt", "rows_urgent.txt"):
    for n, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        code, urgent, kind, text = line.split("|", 3)
        label = NAMES[code]
        prob = label != "非诉求"
        assert urgent in "01", (name, n)
        assert prob or urgent == "0", (name, n)
        rows.append({"text": text.strip(), "label": label, "is_problem": int(prob),
                     "category": label if prob else "", "urgent": int(urgent), "kind": kind})

seen = {}
for r in rows:
    key = "".join(unicodedata.normalize("NFKC", r["text"]).split())
    if key in seen:
        sys.exit(f"duplicate: {r['text']}")
    seen[key] = 1

out = HERE / "fresh10.csv"
with out.open("w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["text", "label", "is_problem", "category", "urgent", "kind"])
    w.writeheader()
    w.writerows(rows)
with out.open(encoding="utf-8", newline="") as f:
    back = list(csv.DictReader(f))
assert [b["text"] for b in back] == [r["text"] for r in rows]

C = collections.Counter
print("rows", len(rows))
print(C((r["is_problem"], r["urgent"]) for r in rows))
print("cat", C(r["label"] for r in rows if r["is_problem"]).most_common())
print("urg", C(r["label"] for r in rows if r["urgent"]).most_common())
for p, u in ((1, 1), (1, 0), (0, 0)):
    print("kinds", p, u, C(r["kind"] for r in rows if (r["is_problem"], r["urgent"]) == (p, u)).most_common())
trad = [r for r in rows if set(r["text"]) & TRAD]
print("traditional rows", len(trad), round(100 * len(trad) / len(rows), 1))
print("short (<=15 chars)", sum(len(r["text"]) <= 15 for r in rows))
