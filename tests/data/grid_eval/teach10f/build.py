"""Hold the hand-written rows (rows*.txt: label|urgent|kind|text) and write teach.csv.
Label codes: N = 非诉求, otherwise the first two characters of an SPEC §6 category."""
import csv, glob, unicodedata, collections, sys

CATS = ["市政设施", "环境卫生", "物业管理", "交通出行", "治安安全", "邻里纠纷",
        "教育文体", "医疗卫生", "社会保障", "农业农村", "其他"]
CODE = dict(zip("市政 环境 物业 交通 治安 邻里 教育 医疗 社保 农业 其他".split(), CATS))
NP_KINDS = {"announce", "thanks", "forwarded", "lost_found", "question", "status", "chat",
            "greeting", "sticker", "selling", "rumour"}
P_KINDS = {"plain", "colloquial", "typo", "dialect", "traditional", "emoji", "voice",
           "two_issues", "place_word", "forwarded", "state_word"}
# characters that only occur in Traditional script (used to count Traditional rows)
TRAD = set("們這個說話來時會後沒經過還對樓電燈氣將與關門開問題們區號處當點發麼裡為從誰讓東車鐘"
           "麼嗎著們條壞啲嘅咗喺冇嚟係聽邊間隻攞畀噉樣鬆幾層進滲積體塊臺灣業費務學醫療療衛"
           "環層屬們線燒煙報謝謝舊齊變轉實際應離總溫錢證辦類網絡養護讓請識據廳廣場飯館貨運輸"
           "鄰裡紛爭傷碼頭髮驗檢療場歲婦兒務歡點亂擠視頻錄辭職給災險縣鄉農鎮灑噴顯紅綠𨋢擺斷")

rows, seen = [], set()
for fn in sorted(glob.glob("rows*.txt")):
    for n, line in enumerate(open(fn, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        code, urg, kind, text = line.split("|", 3)
        text = text.strip()
        key = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
        assert key not in seen, (fn, n, text)
        seen.add(key)
        if code == "N":
            assert urg == "0" and kind in NP_KINDS, (fn, n, line)
            rows.append((text, "非诉求", 0, "", 0, kind))
        else:
            assert code in CODE and kind in P_KINDS and urg in "01", (fn, n, line)
            rows.append((text, CODE[code], 1, CODE[code], int(urg), kind))

with open("teach.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["text", "label", "is_problem", "category", "urgent", "kind"])
    w.writerows(rows)
back = list(csv.DictReader(open("teach.csv", encoding="utf-8")))
assert [r["text"] for r in back] == [r[0] for r in rows]

C = collections.Counter
print("rows", len(rows))
print("is_problem x urgent", sorted(C((r[2], r[4]) for r in rows).items(), reverse=True))
print("problems by cat", C(r[1] for r in rows if r[2]).most_common())
print("urgent by cat", C(r[1] for r in rows if r[4]).most_common())
print("urgent kinds", C(r[5] for r in rows if r[4]).most_common())
print("nonurgent kinds", C(r[5] for r in rows if r[2] and not r[4]).most_common())
print("np kinds", C(r[5] for r in rows if not r[2]).most_common())
trad = [r for r in rows if any(ch in TRAD for ch in r[0])]
print("traditional rows", len(trad), "%.1f%%" % (100 * len(trad) / len(rows)))
if "-t" in sys.argv:
    for r in trad: print("  ", r[0])
