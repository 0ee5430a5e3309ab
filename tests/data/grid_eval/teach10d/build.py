"""Writes teach.csv from the hand-written rows in rows*.txt.

Each line of a rows file is `LABEL[!] kind|text`, written by hand one by one; LABEL is a
short code for the category (or 非 for a non-problem), `!` marks urgent. This script only
expands the code, checks the rows and writes the CSV; it generates nothing.
"""
import csv
import glob
import os
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CODES = {
    "市": "市政设施", "環": "环境卫生", "环": "环境卫生", "物": "物业管理", "交": "交通出行",
    "治": "治安安全", "邻": "邻里纠纷", "教": "教育文体", "医": "医疗卫生", "社": "社会保障",
    "农": "农业农村", "農": "农业农村", "其": "其他", "非": "非诉求",
}
PROBLEM_KINDS = {"plain", "colloquial", "typo", "dialect", "traditional", "emoji", "voice",
                 "two_issues", "place_word", "forwarded", "state_word", "pinyin", "elderly"}
NON_KINDS = {"announce", "thanks", "forwarded", "lost_found", "question", "status", "chat"}
# characters that occur only in Traditional script (used to count Traditional rows)
TRAD = set("們個這樓電燈裡嗎係門車馬頭識醫補貼領發補療衛為與專業東區間問題過還"
           "會時說話請謝單號廣場邊經處壞損燒燈爐熱護讓鄰聽愛無攏規麼於從來園後溝關開"
           "見實驗禮聲體幫搵邊該覺計劃長紅綠號誌燈險預颱鄉親喪禮殯統網絡線"
           "龍遠籬養幾隻斷雜嚴滿傷壓損氣樣啟應總寫買賣錢銀鎖賬聯絡達藥員煙餘濟難離復歲飯")

def norm(t):
    return "".join(unicodedata.normalize("NFKC", t).split())

rows, seen = [], {}
for path in sorted(glob.glob(os.path.join(HERE, "rows*.txt"))):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        head, text = line.split("|", 1)
        code, kind = head.split()
        urgent = code.endswith("!")
        label = CODES[code.rstrip("!")]
        text = text.strip()
        where = f"{os.path.basename(path)}:{n}"
        is_problem = label != "非诉求"
        assert kind in (PROBLEM_KINDS if is_problem else NON_KINDS), where
        assert not (urgent and not is_problem), where
        key = norm(text)
        if key in seen:
            sys.exit(f"duplicate {where} = {seen[key]}: {text}")
        seen[key] = where
        rows.append({"text": text, "label": label, "is_problem": int(is_problem),
                     "category": label if is_problem else "", "urgent": int(urgent),
                     "kind": kind})

out = os.path.join(HERE, "teach.csv")
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["text", "label", "is_problem", "category", "urgent", "kind"])
    w.writeheader()
    w.writerows(rows)
back = list(csv.DictReader(open(out, encoding="utf-8")))
assert [r["text"] for r in back] == [r["text"] for r in rows]

trad = [r for r in rows if any(c in TRAD for c in r["text"])]
print("rows", len(rows), "traditional", len(trad), f"{len(trad)/len(rows):.1%}")
print(Counter((r["is_problem"], r["urgent"]) for r in rows))
print("problems by category", Counter(r["label"] for r in rows if r["is_problem"]).most_common())
print("urgent by category", Counter(r["label"] for r in rows if r["urgent"]).most_common())
for side, sel in (("urgent", lambda r: r["urgent"]), ("non-urgent problems", lambda r: r["is_problem"] and not r["urgent"]),
                  ("non-problems", lambda r: not r["is_problem"])):
    print(side, "kinds", Counter(r["kind"] for r in rows if sel(r)).most_common())
print("traditional by side", Counter((r["is_problem"], r["urgent"]) for r in trad))
