"""Write teach.csv from the hand-written rows in rows_a..rows_d.txt and print the counts.

This script only holds and checks rows written by hand; it generates nothing.
"""
import collections
import csv
import glob
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = ["治安安全", "市政设施", "物业管理", "环境卫生", "邻里纠纷", "社会保障",
              "交通出行", "教育文体", "医疗卫生", "农业农村", "其他"]
PROBLEM_KINDS = {"plain", "colloquial", "typo", "dialect", "traditional", "emoji", "voice",
                 "two_issues", "place_word", "forwarded", "state_word",
                 "rare_topic", "hedged", "buried"}
NONPROBLEM_KINDS = {"announce", "thanks", "forwarded", "lost_found", "question", "status", "chat"}
# Simplified-only forms whose Traditional form differs: a Traditional row must not hold them.
SIMPLIFIED_ONLY = set("这们个来说对时会还没过从里楼电门车灯号间题让处气该开关请问么坏发现东头听见"
                      "给着样为边两几场点长将热钟线图书写爱应报护险态监测谁烟烧邻飘见刚务员压顶层"
                      "灭积风树摇饭厅厨经济无视频转网买卖单区设备员级扫园兴办证户寻导际运"
                      "机厂矿气药疗医卫诊医检验针资补贴贵费钱银记录营业执终断让仅尽紧张烦恼")
TRAD_ONLY = set("這們個來說對時會還沒過從裡樓電門車燈號間題讓處氣該開關請問麼壞發現東頭聽見"
                "給著樣為邊兩幾場點長將熱鐘線圖書寫愛應報護險態監測誰煙燒鄰飄見剛務員壓頂層")


def norm(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


def read_rows():
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "rows_*.txt"))):
        label = urgent = danger = None
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line.strip():
                    continue
                if line.startswith("## "):
                    label, urgent = line[3:].split()
                    urgent = int(urgent)
                    danger = None
                    continue
                if line.startswith("#@ "):
                    danger = line[3:].strip()
                    continue
                if line.startswith("#"):
                    continue
                kind, text = line.split("\t")
                trad = kind.endswith("/T") or kind == "traditional"
                kind = kind[:-2] if kind.endswith("/T") else kind
                rows.append(dict(text=text.strip(), label=label, urgent=urgent, kind=kind,
                                 trad=trad, danger=danger, where=f"{os.path.basename(path)}:{n}"))
    return rows


def check(rows):
    errors = []
    seen = {}
    for r in rows:
        key = norm(r["text"])
        if key in seen:
            errors.append(f"duplicate {r['where']} = {seen[key]}: {r['text']}")
        seen[key] = r["where"]
        problem = r["label"] != "非诉求"
        if problem and r["label"] not in CATEGORIES:
            errors.append(f"bad label {r['where']}")
        if problem and r["kind"] not in PROBLEM_KINDS:
            errors.append(f"bad problem kind {r['kind']} {r['where']}")
        if not problem and (r["kind"] not in NONPROBLEM_KINDS or r["urgent"]):
            errors.append(f"bad non-problem {r['where']}")
        if r["urgent"] and not r["danger"]:
            errors.append(f"urgent row without danger {r['where']}")
        chars = set(r["text"])
        if r["trad"] and chars & SIMPLIFIED_ONLY:
            errors.append(f"simplified char {''.join(chars & SIMPLIFIED_ONLY)} in T row {r['where']}")
        if not r["trad"] and chars & TRAD_ONLY:
            errors.append(f"traditional char {''.join(chars & TRAD_ONLY)} in row {r['where']}")
    return errors


def main():
    rows = read_rows()
    errors = check(rows)
    for e in errors:
        print(e)
    if errors:
        sys.exit(1)
    out = os.path.join(HERE, "teach.csv")
    fields = ["text", "label", "is_problem", "category", "urgent", "kind"]
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for r in rows:
            problem = r["label"] != "非诉求"
            w.writerow(dict(text=r["text"], label=r["label"], is_problem=int(problem),
                            category=r["label"] if problem else "", urgent=r["urgent"],
                            kind=r["kind"]))
    with open(out, encoding="utf-8", newline="") as fh:
        back = list(csv.DictReader(fh))
    assert [b["text"] for b in back] == [r["text"] for r in rows]

    C = collections.Counter
    print("rows", len(rows), "traditional", sum(r["trad"] for r in rows),
          f"{100 * sum(r['trad'] for r in rows) / len(rows):.1f}%")
    print("is_problem x urgent", C((int(r["label"] != "非诉求"), r["urgent"]) for r in rows))
    print("non-urgent problems by category", C(r["label"] for r in rows if r["label"] != "非诉求" and not r["urgent"]).most_common())
    print("problems by category", C(r["label"] for r in rows if r["label"] != "非诉求").most_common())
    print("urgent by category", C(r["label"] for r in rows if r["urgent"]).most_common())
    print("urgent by danger", C(r["danger"] for r in rows if r["urgent"]).most_common())
    print("urgent by kind", C(r["kind"] for r in rows if r["urgent"]).most_common())
    print("non-urgent problems by kind", C(r["kind"] for r in rows if r["label"] != "非诉求" and not r["urgent"]).most_common())
    print("non-problems by kind", C(r["kind"] for r in rows if r["label"] == "非诉求").most_common())
    print("trad by part", C((r["where"].split(":")[0], r["trad"]) for r in rows))


if __name__ == "__main__":
    main()
