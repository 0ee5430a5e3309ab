"""Write teach.csv from the hand-written rows in rows_np*.py and rows_p.py.

The script only holds/reads rows written one by one by hand; it generates nothing.
A leading "T:" on a text marks Traditional script (counted, then stripped).
"""
import collections
import csv
import os
import unicodedata

import rows_np1
import rows_np2
import rows_np3
import rows_p

CATS = ["市政设施", "环境卫生", "物业管理", "交通出行", "治安安全", "邻里纠纷",
        "教育文体", "医疗卫生", "社会保障", "农业农村", "其他"]
HERE = os.path.dirname(os.path.abspath(__file__))


def lines(block):
    return [x for x in block.split("\n") if x.strip()]


def strip_t(text):
    return (text[2:], True) if text.startswith("T:") else (text, False)


def main():
    rows, trad = [], 0
    for kind, block in [("announce", rows_np1.ANNOUNCE), ("thanks", rows_np1.THANKS),
                        ("forwarded", rows_np2.FORWARDED), ("lost_found", rows_np2.LOST_FOUND),
                        ("question", rows_np3.QUESTION), ("status", rows_np3.STATUS),
                        ("chat", rows_np3.CHAT)]:
        for line in lines(block):
            text, t = strip_t(line.strip())
            trad += t
            rows.append(dict(text=text, label="非诉求", is_problem=0, category="", urgent=0, kind=kind))
    for line in lines(rows_p.PROBLEMS):
        cat, urg, kind, text = line.split("|", 3)
        assert cat in CATS, line
        text, t = strip_t(text.strip())
        trad += t
        rows.append(dict(text=text, label=cat, is_problem=1, category=cat, urgent=int(urg), kind=kind))

    seen = {}
    for r in rows:
        key = unicodedata.normalize("NFKC", r["text"]).replace(" ", "").replace("\u3000", "")
        assert key not in seen, ("duplicate", r["text"], seen[key])
        seen[key] = r["text"]
        assert r["urgent"] == 0 or r["is_problem"] == 1
        assert (r["category"] == r["label"]) if r["is_problem"] else r["category"] == ""

    path = os.path.join(HERE, "teach.csv")
    fields = ["text", "label", "is_problem", "category", "urgent", "kind"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    with open(path, encoding="utf-8", newline="") as f:
        back = list(csv.DictReader(f))
    assert [b["text"] for b in back] == [r["text"] for r in rows]

    print("rows", len(rows), "traditional", trad, "%.1f%%" % (100 * trad / len(rows)))
    print(collections.Counter((r["is_problem"], r["urgent"]) for r in rows))
    p = [r for r in rows if r["is_problem"]]
    print("by category", collections.Counter(r["category"] for r in p).most_common())
    print("urgent by category", collections.Counter(r["category"] for r in p if r["urgent"]).most_common())
    print("urgent by kind", collections.Counter(r["kind"] for r in p if r["urgent"]).most_common())
    print("nonurgent by kind", collections.Counter(r["kind"] for r in p if not r["urgent"]).most_common())
    print("np kinds", collections.Counter(r["kind"] for r in rows if not r["is_problem"]).most_common())


if __name__ == "__main__":
    main()
