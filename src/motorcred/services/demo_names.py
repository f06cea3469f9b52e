"""Name tables for synthetic demo people: common surnames and given-name characters.

Surnames carry rough weights from public surname-frequency reporting (王, 李,
张 and 刘 each hold about 5–7 % of the population), so a seeded crowd looks
like a real one. Given names are one or two characters drawn from lists that
lean male or female, as real names do; none of this identifies anybody.
"""

from __future__ import annotations

from typing import Final

# (surname, weight in tenths of a percent of the population, approximately)
SURNAMES: Final[tuple[tuple[str, int], ...]] = (
    ("王", 72), ("李", 71), ("张", 68), ("刘", 54), ("陈", 46), ("杨", 32), ("黄", 24),
    ("赵", 23), ("吴", 21), ("周", 21), ("徐", 17), ("孙", 15), ("马", 15), ("朱", 14),
    ("胡", 13), ("郭", 12), ("何", 12), ("林", 11), ("高", 11), ("罗", 11), ("郑", 10),
    ("梁", 10), ("谢", 8), ("宋", 8), ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7),
    ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6), ("肖", 6), ("田", 6), ("董", 5),
    ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 5),
    ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4),
    ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3),
    ("夏", 3), ("韦", 3), ("方", 3), ("白", 2), ("邹", 2), ("孟", 2), ("熊", 2),
    ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2),
    ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("欧阳", 1), ("司马", 1), ("诸葛", 1),
)  # fmt: skip

GIVEN_MALE: Final[str] = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳文"
    "博志国建东海峰亮成晨子轩睿哲昊然一鸣天佑泽宏毅"
)
GIVEN_FEMALE: Final[str] = (
    "芳娜敏静丽艳娟霞秀燕玲桂丹萍红玉兰英洁琳婷雪倩颖慧琪梅莉晶欣怡佳悦涵诗雨思雅梦瑶晓月蕾薇"
)
