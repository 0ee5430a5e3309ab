"""Write teach.csv from the hand-written rows in src/*.txt.

Each line of src/*.txt is one row written by hand: `<label-initial><urgent> <kind> <text>`.
This script only maps the label initial to the category name and writes the CSV.
"""
import collections
import csv
import glob
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = {'市': '市政设施', '环': '环境卫生', '物': '物业管理', '交': '交通出行', '治': '治安安全',
         '邻': '邻里纠纷', '教': '教育文体', '医': '医疗卫生', '社': '社会保障', '农': '农业农村',
         '其': '其他', '非': '非诉求'}
# characters found only in Traditional script (used to count Traditional rows)
TRAD = set('們這個說來對會時還點裡樓電開關門問題號棟區燈氣嗎麼誰裏為與從樣後過話請謝幫狀處應該將當爲'
           '動車場煙燒經聽見鄰齊幾裝濟藥醫療診費單難壞灣滿聲萬變讓頭實寫張長買賣華歡際'
           '級線邊網發現錢權認證審機臺鐘鐵飯麵雞鴨魚豬蟲髒亂攤舊風颱傷險災檢測報驗響'
           '戶簾結帳擺積紅綠壓斷閃轉訴熱隊讀書館週達運輸歲辮紮園係籬隻綁繩細廈遲幾處鎖講貼補實飛貴')

rows = []
for path in sorted(glob.glob(os.path.join(HERE, 'src', '*.txt'))):
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.strip()
        if not line:
            continue
        head, kind, text = line.split(' ', 2)
        label = NAMES[head[0]]
        urgent = int(head[1])
        is_problem = 0 if label == '非诉求' else 1
        assert not (urgent and not is_problem), (path, n)
        rows.append({'text': text, 'label': label, 'is_problem': is_problem,
                     'category': label if is_problem else '', 'urgent': urgent, 'kind': kind})

seen = {}
for r in rows:
    key = unicodedata.normalize('NFKC', r['text']).replace(' ', '').replace('\u3000', '')
    assert key not in seen, ('duplicate', r['text'], seen[key])
    seen[key] = r['text']
    assert '|' not in r['text'] and '\n' not in r['text']

out = os.path.join(HERE, 'teach.csv')
with open(out, 'w', encoding='utf-8', newline='') as f:
    w = csv.DictWriter(f, fieldnames=['text', 'label', 'is_problem', 'category', 'urgent', 'kind'])
    w.writeheader()
    w.writerows(rows)
back = list(csv.DictReader(open(out, encoding='utf-8')))
assert [b['text'] for b in back] == [r['text'] for r in rows]

C = collections.Counter
print('rows', len(rows))
print(C((r['is_problem'], r['urgent']) for r in rows))
print('problems', C(r['label'] for r in rows if r['is_problem']).most_common())
print('urgent', C(r['label'] for r in rows if r['urgent']).most_common())
for name, sel in [('urgent kinds', lambda r: r['urgent']),
                  ('nonurgent kinds', lambda r: r['is_problem'] and not r['urgent']),
                  ('nonproblem kinds', lambda r: not r['is_problem'])]:
    print(name, C(r['kind'] for r in rows if sel(r)).most_common())
trad = [r for r in rows if sum(ch in TRAD for ch in r['text']) >= 2]
print('traditional rows', len(trad), round(100 * len(trad) / len(rows), 1))
print('traditional by side', C((r['is_problem'], r['urgent']) for r in trad))
print('length', C('<=15' if len(r['text']) <= 15 else '16-39' if len(r['text']) < 40 else '40+' for r in rows))
if '-v' in sys.argv:
    for r in trad:
        print('T', r['text'])
