"""What a viewer asks about: the attribute of a product (price, size, material, age...).

One table of attributes, each with English patterns (word-bounded regular expressions) and Chinese
substrings, used three ways: to read which attribute a chat message asks about, to tag each
catalog fact with the attribute it answers (a spec key `box_size` is a size, `key_ingredients` a
material), and to name the attribute when composing an answer ("容量", "the volume").

Written by hand rather than learned: the set of things shoppers ask is small and stable, a table
is testable line by line, and a wrong tag here would put a wrong fact on air. The sentence
embedding (vhost.brain.embedding) covers what the table misses, never overrides it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Attribute:
    name: str
    en: re.Pattern[str]
    zh: tuple[str, ...]
    label_en: str
    label_zh: str


def _a(name: str, en: str, zh: str, label_en: str, label_zh: str) -> Attribute:
    return Attribute(name, re.compile(rf"(?<![a-z])(?:{en})(?![a-z])", re.IGNORECASE),
                     tuple(zh.split()), label_en, label_zh)


# Words naming a value of an attribute (a colour, a material): in the attribute's own words below,
# and in `_VALUE_WORDS`, which tells a value that picks a product from the attribute asked.
_COLOURS_EN = r"black|white|red|blue|green|pink|gr[ae]y|yellow|purple|navy|beige|brown|orange|silver|gold"
_COLOURS_ZH = "黑白红蓝绿粉灰黄紫棕米金银橙"
_MATERIALS_EN = r"cotton|steel|plastic|leather|wax|wood(?:en)?|bamboo|glass|ceramic|silicone|stainless|foam|nylon|polyester|linen|wool|silk|aluminium|aluminum|carbon fib(?:re|er)|pvc|eva|tpu|rubber|fabric|shell|metal(?:lic)?|titanium|acrylic|synthetic|alloy"


# Order matters only for ties: the first attribute found at the earliest position wins.
ATTRIBUTES: tuple[Attribute, ...] = (
    # A coupon or a code is not the discount: only a fact naming one answers it.
    _a("coupon", r"coupons?|vouchers?|(?:promo|discount|coupon|voucher|referral)\s*codes?|"
       r"(?<!counterfeit )(?<!batch )(?<!lot )(?<!qr )(?<!bar)(?<!trace )(?<!tracing )(?<!security )(?<!verification )"
       r"(?<!product )(?<!color )(?<!colour )(?<!zip )(?<!post)(?<!area )(?<!error )(?<!dress )codes?|red envelopes?",
       "优惠券 优惠码 折扣码 领券 红包 券 口令", "coupons", "优惠券"),
    _a("installment", r"installments?|instalments?|pay (?:in|over|monthly)|monthly payments?|pay later|"
       r"buy now,? pay later|klarna|afterpay",
       "分期 免息 月付 先用后付", "installments", "分期"),
    # Buying several, or two products together: only a fact about a multi-buy or a bundle answers
    # ("买两件有优惠吗?", "any bulk deal?"), never the single item's discount.
    _a("bundle", r"bundles?|(?:buy|get|order|take)\b[^?.!]{0,40}\btogether|(?:deal|discount|cheaper|off)\b[^?.!]{0,20}\b(?:grab|buy|get|take|add)\b[^?.!]{0,30}\b(?:too|as well)\b|together[^?.!]{0,20}(?:deal|discount|cheaper|off|price)|bulk (?:buy|order|deal|discount|price|purchase)\w*|in bulk|wholesale|multi-?buy|buy (?:two|2|three|3|several|multiple|more|a few)\b|"
       r"(?:two|2|three|3|several) of them|any (?:two|2|three|3)\b|combos?|package deals?|(?<!\d)[2-9]\s*(?:for|件|个|瓶|盒)\s*\d|任选|第二件|"
       r"(?:加|和|跟|与|\+)[^，,。？?]{1,8}套装|买两|买二|买三|拍两|拍二|拍三|第二(?:瓶|盒|个|份|套|支|双|袋)|两件|两个一起|多买|多件|批发|一起买|一起拍|一起下单|搭配买|加购|组合|套餐|凑单|团购|再加个|再加一|再拍个|再买个|一块买|"
       r"(?:拿|买|订|要|采购|团)\s*(?:[1-9]\d|[二三四五六七八九]十|几十)\s*(?:套|个|件|份|支|盒|本|只)|\border(?:ing)?\s+(?:[2-9]\d|dozens)\b",  # a class's 30 kits
       "", "multi-buy deals", "多件优惠"),
    _a("discount", r"discounts?|on sale|sale|deals?|\d+\s*% off|promo(?:tion)?s?|cheaper",
       "优惠 折扣 打折 几折 折 减价 原价 降价 满减", "the deal", "优惠"),
    _a("price", r"price[sd]?|cost[s]?|going for|ho?w mu?ch(?=\s*(?:is|are|r|was|were|does it cost|do they cost|for|this|these|that|\?|$))|expensive|"
       r"pricey|(?:so|too|that|this|is it|are they|how) cheap|bucks|dollars?|yuan|rmb",
       "多少钱 价格 价钱 几块 几元 多少米 贵 便宜 售价 卖多少 什么价 怎么卖 咋卖 怎么收费 啥价 多钱 几多钱 价位 多少一瓶 多少一盒 "
       "多少一个 多少一包 多少一件 多少一套 多少一袋 多少一支 多少一双 "
       # "1米8的要多少啊": a variant's price asked with nothing else to count
       "的要多少 要多少啊 要多少呀 要多少呢 要多少？ 要多少?", "the price", "价格"),
    # What comes with it: in the box, a free gift ("送地布吗?", "有赠品吗", "does it come with a case?").
    _a("included", r"includ(?:e|es|ed|ing)|comes? (?:with|w/|w\b)|any (?:gifts?|extras?)\b|"
       r"(?:bought|sold|buy|sell|purchased?)\s+sep[ae]rate(?:ly)?|(?<!how many )in the (?:box|package|set)|\bin[ _]box\b|what'?s (?:\w+ )?(?:in|inside) (?:the|a|this|that|each|every|one) (?:[\w-]+ ){0,2}?(?:box|package|set|pack|bag|kit|jar|hamper|bundle)|"
       r"freebies?|free gifts?|get (?:a|one) free|giveaways?|bonus|accessor(?:y|ies)|contents|kit (?:with|includes?)|买[^，,。？?]{0,6}送(?!给|人|礼)\S|"
       r"送(?!到|货|达|出|去|人|给|礼|快递|上楼|上门|楼)[^，,。？?！!\s]{0,6}(?:吗|嘛|不)|还送|有送|送什么|送不送|会送|"
       r"都有(?:啥|什么|些啥)(?=\s|[?？!！,，。]|$)",  # "一套多少钱 都有啥", not "都有啥颜色"
       "赠品 附赠 附送 赠送 赠 配件 包含 包括 附带 标配 带不带 配不配 里面有什么 有什么配件 盒子里 里都有啥 里都有什么 "
       "都送啥 都送什么 送啥 都包含", "what is included",
       "赠品和配件"),
    # "how many are left", "only 3 left", "any left in black": not "whatever yarn is left", "how
    # much battery is left", "left-handed"
    _a("stock", r"in stock|stock|(?:any|many|only|still|none|few|[0-9]+)(?:\s+[a-z]+){0,2}\s+left(?![\s-]*hand)|how many\b[^?.!]{0,30}\bleft\b(?![\s-]*hand)|"
       r"left in (?:stock|black|white|red|blue|pink|gr[ae]y|size)|available|sold out|run out|any more|still have",
       "库存 有货 现货 还有吗 还有没有 剩 售罄 卖完 抢光 断货 没货 多少货 台货 件货 个货", "stock", "库存"),
    _a("how_to_buy", r"how (?:do|can) i (?:buy|order|get|purchase)|where (?:to|can i|do i) buy|"
       r"buy|order|purchase|links?|cart|checkout|url|i'?ll take|i want (?:one|two|three|it|them)|add (?:it )?to cart|"
       # "我要!", "我要两个", "我要这个": an order; "我要出差", "我要录两小时" say what the viewer will do
       r"我要(?=$|[\s！!。，,~～]|[一两二三四五六七八九十几\d]|[这那个件份套单了买拍])",
       "怎么买 哪里买 在哪买 想买 要买 要一个 要两个 怎么下单 下单 购买 链接 小黄车 购物车 怎么拍 上车", "how to buy", "购买方式"),
    _a("payment", r"pay|payment|paypal|credit cards?|alipay|wechat pay|cash on delivery",
       "支付 付款 花呗 微信支付 支付宝 信用卡 货到付款 银联", "payment", "付款方式"),
    _a("shipping", r"ship(?:s|ping|ped)?|deliver(?:y|ed|s)?|postage|arrive|courier|dispatch|send to",
       "发货 快递 包邮 运费 邮费 到货 送到 物流 寄 几天到 发什么 几天能到 多久能到 多久到 什么时候到 啥时候到 几时到 "
       "顺丰 中通 圆通 韵达 申通 极兔 德邦 京东快递 京东物流 邮政 发EMS 送上楼 搬上楼", "shipping", "发货"),  # "发顺丰吗": a courier
    # Arriving broken is a returns (after-sales) question, not a shipping one ("快递路上碎了咋办").
    _a("returns", r"returns?|refunds?|exchange|send (?:it )?back|swap (?:it |the )?(?:for )?(?:a |the )?(?:size|bigger|smaller|larger)|"
       r"换码|换尺码|换个码|换大一码|换小一码|(?:大了|小了|不合适)\S{0,4}换|(?:arrives?|shows? up|comes?|came|got)\s+"
       r"(?:broken|damaged|dead|rotten|cracked|leaking)|damaged in (?:transit|shipping|delivery)|"
       r"(?:free\s+|home\s+|\d+[- ]day\s+)?trial(?:\s+period)?|wrong size|(?:can i|can we|could i) swap\b",  # "a 30 day trial?": returns
       "退货 退款 换货 退换 退 七天无理由 7天无理由 试用期 试听期 试戴期 天试用 天试听 天试戴 碎了 摔坏了 压坏了 漏了 坏了咋办 坏了怎么办 死了咋办 死了怎么办",
       "returns", "退换货"),
    # How much weight it bears (a chair, a shelf, a stroller): never answered by its own weight.
    _a("load", r"weight limit|max(?:imum)?\s+(?:\w+\s+)?(?:load|weight)|weight (?:it|they|this|that) can (?:hold|take|carry|support)|load(?:\s+capacity)?|weight capacity|"
       r"how much weight|how heavy (?:a|of a) (?:person|kid|child|adult)|hold up to|bear|limit|能撑(?!多久|多长时间|几)",
       "承重 最大承重 能承受 承受 载重 能坐多重 撑得住 限重", "the load limit", "承重"),
    # How far it reaches (a torch's beam, a remote, Bluetooth).
    _a("range", r"how far|range|distance|beam|reach", "多远 最远 距离 射程 照射距离 照多远 范围", "the range", "距离"),
    # Who else uses it: a celebrity, an influencer ("明星同款?"): only a fact naming one answers.
    _a("endorsement", r"celebrit(?:y|ies)|famous|influencers?|actress|actor|idol|endorse(?:d|s|ment)?|who (?:else )?(?:uses|wears)",
       "明星 同款 网红 代言 博主 艺人 爱豆 谁用过 谁在用", "who uses it", "明星同款"),
    _a("warranty", r"warrant(?:y|ies)|guarantee period|repair",
       "保修 质保 售后 维修 保固", "the warranty", "保修"),
    _a("age", r"ages?|years? old|\d+\s*yo|y/o|kids?|child(?:ren)?|toddlers?|bab(?:y|ies)|son|how old|"
       r"多大(?:的[^，,。？?\s]{0,3})?(?:能|可以|才能|就能)(?:用|吃|玩|穿|坐|骑|戴|喝)|几岁|几个月(?:能|可以)|"
       r"daughter|boy|girl|grandson|granddaughter|infants?",
       "岁 孩子 小孩 宝宝 儿童 年龄 幼儿 婴儿 儿子 女儿 小朋友 孙子 孙女 娃", "the age range", "适用年龄"),
    _a("volume", r"volume|ml|milliliters?|capacity|liters?|litres?|oz|ounces?|how much (?:\w+\s+){0,2}?"
       r"(?:does it|do they|can it) hold",
       "容量 毫升 多少ml 升 装多少 多大容量 ml", "the volume", "容量"),
    _a("weight", r"weigh[st]?|weight|heavy|lightweight|grams?|kg|kilos?|pounds?|lbs?|net content",
       # not a bare 轻: "轻度至中重度听力损失" is mild, "年轻" young
       "重量 多重 重不重 克 公斤 斤 净含量 轻不轻 很轻 多轻 超轻 挺轻 好轻 太轻 够轻 轻便 轻巧 轻量", "the weight", "重量"),
    _a("size", r"size[sd]?|sizing|how big|dimensions?|length|width|shorten|lengthen|height|diameter|"
       r"how long is\b(?![^?]*\b(?:good|valid|fresh|last|life|warranty)\b)|how long (?:are|r) (?:the|these|those|they)\b(?![^?]*\b(?:good|last|valid|for|take)\b)|how tall|how high up|how high (?:is|are|does|do)\b|how wide|how thick|how long (?:does|do|can|will)\b[^?]{0,20}\b(?:go|extend|reach|stretch)\b|thick(?:ness)?|cm|inch(?:es)?|xl|xxl|measurements?|"
       r"what size",
       "尺寸 尺码 码数 多大 大小 长度 宽度 高度 直径 厘米 多长 多宽 多高 多低 规格 穿多大 几码 几寸 多少寸 什么码 哪个码 哪码 啥码 多粗 粗细 多细 口径", "the size", "尺寸"),
    _a("count", r"how many (?:pieces|pcs|sheets|pcs|items|blocks|parts|bars|bags|packs|books|volumes|recipes|pairs|cards|balls|layers|keys|"
       r"pens|bottles|cans|pods|capsules|tablets)|how many (?:\w+ )?(?:in|per) (?:a|the|one|each|this|that)\b|(?<!one )(?<!one-)(?<!two )(?<!two-)pieces|pcs|sheets?|"
       r"pack of|count|quantity|(?:一套|一盒|一包|一瓶|一袋)\s*(?:是|有)?\s*\d+\s*[个件片颗粒支包袋根张只双本册卷道]|"
       r"\d+\s*[个件片颗粒支包袋根张只双本册卷道]\s*(?:一套|一盒|一包|一瓶|一袋)",  # "说是6本一套的?"
       "几片 多少片 几个 多少个 几支 几包 几袋 几根 几张 多少张 片数 数量 一盒 一包 几块 多少块 颗粒 几件 多少件 几双 多少双 "
       "几本 多少本 几册 几卷 几瓶 多少瓶 几粒 多少粒 几颗 多少颗 几只 几条 几道 多少道 几节 几层 多少层",
       "the count", "数量"),
    _a("material", rf"materials?|made (?:of|from|with)|fabric|ingredients?|contains?|formula|what'?s in|(?:goose|duck) down|"
       r"(?:real|pure|solid|genuine)\s+(?:gold|silver)|sterling silver|\b925\b|"  # "is it real gold?" asks no colour
       rf"{_MATERIALS_EN}|什么\S{{0,3}}做的|用什么做",
       "材质 材料 面料 料子 布料 成分 原料 配料 什么做的 什么材料 啥材料 什么料 啥料 含 钢 实木 木头 木质 板材 颗粒板 密度板 真皮 什么皮 鹅绒 鸭绒 "
       "纯金 真金 足金 纯银 真银 925银",
       "the material", "材质"),
    _a("color", rf"colou?r(?:s|ways?)?|shades?|{_COLOURS_EN}",
       "颜色 色号 什么色 几种色 几个色 " + " ".join(f"{c}色" for c in _COLOURS_ZH), "the colours", "颜色"),
    _a("battery", r"battery|batteries|battery life|mah|aaa|aa(?=\s+batter)|hours? of|how long does it last|runtime|run time|"
       r"(?:re)?chargeable|"
       r"(?:one|a|full|per|single) charge|last(?:s)? (?:on|for)",
       "电池 续航 电量 毫安 待机 能用多久 用多久 撑多久 七号 五号 可充电 一次充满 充一次电 充满一次 能扫多久 扫多久 能跑多久", "the battery", "电池续航"),
    _a("charging", r"(?:re)?charg(?:e|es|ed|ing|er)|fast[- ]charg\w*|how long to charge|power (?:input|output)|"
       r"output|input|wattage|watts?\b|how powerful|\d+\s*w\b|cable|adapter|plug",
       "充电 充满 快充 充电器 充电线 数据线 充电头 功率 插头 几瓦 带线 送线 配线", "charging", "充电"),
    # A certificate or a standard met: only a fact naming one answers ("certified for anything?").
    _a("certification", r"certifi\w*|certificates?|(?:safety|official|national|industry|quality|eu|us|lighting|"
       r"food[- ]grade)\s+standards?|meets? (?:any |the )?(?:\w+\s)?standards?|tested by|third[- ]party test\w*|lab[- ]tested|lab tests?|(?:lab |test )reports?|"
       r"oeko-?tex|fda|ce mark|ccc|3c|iso\s*\d+|gb(?:/t)?\s*\d+|tested to|ul[- ]listed|registration (?:no|number)\w*|nmpa|"
       r"(?<!码)(?<!寸)(?<!小)标准(?!款|版|装|尺寸|码|号|杯|间|型|配置|大小)",  # "标准款" is the standard size, no certificate
       "认证 证书 检测报告 质检报告 国标 3C 执行标准 检测 合格证 备案 注册证 注册号 械字号 批准文号", "certification", "认证"),
    # Genuine goods ("是正品吗 之前买到过假货"): only a fact saying so (an `authenticity` policy) answers.
    _a("authenticity", r"authentic(?:ity)?|genuine(?! leather)|counterfeits?|anti-counterfeit|knock-?offs?|"
       # "its not fake", "so many fakes", "is it fake?"; not "real fur or fake?" (the material)
       r"(?:\bis\s+(?:it|this|that|these|they)\s+|\bnot\s+|\bno\s+|\bany\s+|\bmany\s+|\blots\s+of\s+)fakes?\b"
       r"(?!\s+(?:leather|fur|suede|plants?|flowers?|grass|nails?|lashes|tan))|legit",
       "正品 真货 假货 防伪 高仿 仿品", "authenticity", "正品保障"),
    # The mains it runs on ("will it work on 110 V in the US?"): a fact naming the voltage answers.
    _a("voltage", r"voltages?|volts?|dual[- ]voltage|(?:100|110|120|127|220|230|240)\s*v(?:ac)?|power (?:source|supply)",
       "电压 伏特 双电压 110v 220v 110伏 220伏 插啥电 插什么电 用什么电 啥电源 什么电源 电源是", "the voltage", "电压"),
    # What it smells like (a candle, a detergent, a lotion): a fact naming the scent answers.
    _a("scent", r"smells?|smelling|scent(?:s|ed)?|unscented|fragrance[- ]free|odou?rs?",
       "气味 香味 香型 香调 什么香 啥香 闻起来 什么味儿 啥味儿 无香", "the scent", "香味"),
    # How loud it is (a fan, a purifier, a dryer): a fact giving decibels or naming quiet modes.
    _a("noise", r"loud|noisy|noise|quiet|silent|decibels?|\d+\s*db\b|db level",
       "吵 噪音 声音大 声音多大 静音 分贝 安静 响不响", "the noise level", "噪音"),
    # Switching itself off (a curler, a heater, a kettle): a safety feature only a fact names.
    _a("auto_off", r"auto(?:matic(?:ally)?)?[- ]?(?:off|shut[- ]?off|power[- ]?off|switch[- ]?off)|"
       r"(?:turns?|switch(?:es)?|shuts?) (?:itself )?off|shut[- ]?off|forget to (?:turn|switch) (?:it )?off|"
       r"(?:boil|dry)[- ]?(?:boil|dry) protection|(?:if|when) it boils dry",  # not "never let it boil dry"
       "防干烧 干烧保护 干烧断电 自动断电 自己断电 自动关机 自动关闭 自己关 忘记关 断电保护 定时关机", "auto-off", "自动断电"),
    _a("waterproof", r"waterproof|water[- ]?(?:resistant|resistance|repellent|proof)|splash[- ]?(?:proof|resistant)|"
       r"ip[x\d]\d|\d+\s*atm|ingress protection|rain|swim(?:ming|s)?(?:-?proof)?|shower|div(?:e|ing)",
       "防水 淋雨 游泳 进水 防泼水 泼水 防溅 溅水 下雨 雨天 潜水", "water resistance", "防水"),
    _a("compatibility", r"compatible|compatibility|work with|works with|iphone|android|"
       r"induction|support[s]?|connect",
       "兼容 适配 苹果 安卓 电磁炉 连接 能连 别的牌子 其他品牌 其它品牌 其他牌子 装得上 装上去", "compatibility", "兼容性"),
    _a("use", r"how (?:do i|to|should i) use|how to apply|use it|apply|usage|directions|steps",
       "怎么用 使用方法 用法 怎么使用 使用 用量 补涂 怎么涂 多久用一次", "how to use it", "用法"),
    _a("care", r"wash(?:es|ed|ing|able)?|clean(?:ing)?|care|dishwasher|machine wash|dry clean|iron",
       "清洗 洗 保养 机洗 手洗 洗碗机 护理 干洗", "care", "清洗保养"),
    # When a batch was made: a date the shelf life does not give ("生产日期是啥时候的") and stock never
    # does ("when was this batch made? dont want old stock"); only a fact naming it answers.
    _a("made_date", r"production dates?|manufactur\w* dates?|date of manufacture|batch dates?|"
       r"when (?:was|were|is|are) (?:it|they|this|these|the|this batch|the batch)(?: \w+)? (?:made|produced|manufactured)|"
       r"produced (?:within|in the last|on)|made within|within \d+ months? of (?:production|manufacture)",
       "生产日期 几月生产 几月份生产 哪天生产 什么时候生产 啥时候生产 出厂日期 个月内生产 月内生产 生产批次", "the production date", "生产日期"),
    _a("shelf_life", r"shelf life|expir(?:y|e|ation)|best before|how long does it keep|fresh|after opening|once opened|"
       r"(?:once|after) (?:you|u|i) open|how long is it good|good for how long|(?:eat|cook|use|consume)\w* (?:it |them )?within \d+ days?",
       "保质期 过期 有效期 能放多久 新鲜 开封后 开封 开盖后 拆封后 能放几天 放多久 天内食用 天内吃完 天内烹饪 天内烹调 天内吃", "the shelf life", "保质期"),
    # A shop to visit ("a store in Shanghai where grandpa could try it on", "杭州有线下店吗"): only a
    # fact naming one answers; "store" there is a shop, not how to keep the product.
    _a("physical_store", r"(?:physical|offline|retail|brick[- ]and[- ]mortar|flagship)\s+(?:stores?|shops?)|"
       r"\b(?:a|any|your)\s+(?:stores?|shops?)\s+(?:in|near|around)\b|in[- ]store|in person|showrooms?",
       "线下店 实体店 门店 专柜 体验店 展厅 线下门店", "a shop to visit", "线下门店"),
    _a("storage", r"(?<!a )(?<!any )(?<!your )(?<!physical )(?<!retail )(?<!offline )(?<!flagship )(?<!in )(?<!in-)"
       r"stor(?:e|age)(?!s)|keep it|refrigerat\w*|fridge",
       "储存 保存 存放 冷藏 冰箱", "storage", "储存方法"),
    _a("origin", r"made in|manufactur\w*|where (?:is it|are they|is this|are these) (?:made|from|grown)|origin|country|grown|"
       r"where(?:'s| is| are| does| do)\s+(?:the\s+|its\s+|their\s+)?(?!you\b|u\b|it\s+ship|ship|send|deliver|post)"
       r"\w+(?:\s+\w+)?\s+(?:from|come from|made)|"
       r"comes? from|sourced|produced|(?:are|is) (?:these|they|those|it|this|that|the \w+) (?:from|grown in|made in)\s+(?!(?:the|a|an|same|my|your|this|that)\b)[a-z]+",
       "产地 哪里产 哪里生产 哪产的 国产 进口 哪里的 产自 哪里来 来自 原产", "the origin", "产地"),
    _a("allergen", r"allerg\w*|nuts?|peanuts?|soy|soya|sesame|shellfish|gluten|dairy|lactose|vegan|halal",
       "过敏 坚果 花生 大豆 芝麻 麸质 乳糖 素食 清真 过敏原", "allergens", "过敏原"),
    # What a food holds per serving: only a fact naming it answers ("calories per 100g?" is unknown
    # beside a shelf life).
    _a("nutrition", r"calories?|kcal|cals|nutrition(?:al)?|macros|carbs|sugar content|(?:crude )?fat content|crude fat|"
       r"(?:crude )?protein|fib(?:re|er) content", "热量 卡路里 大卡 千卡 营养成分 营养 含糖量 脂肪含量 蛋白质 粗蛋白 粗脂肪",
       "nutrition", "营养成分"),
    # An invoice or a receipt for expenses: a shop policy only a fact naming one answers.
    # An old one handed in for money off ("以旧换新 抵多少钱", "trade in my old iPad"): only a
    # policy naming it answers, never the price or the discount.
    # A price drop after the order refunded (保价): not today's price.
    _a("price_protection", r"price protection|price (?:drops?|goes down|falls|cut)|(?:get|refund(?:ed)?|pay)\s+(?:me\s+)?"
       r"(?:back\s+)?the\s+diff(?:erence)?|diff(?:erence)? back|price match(?:ing)?|price guarantee",
       "保价 退差价 补差价 差价 降价了怎么办", "price protection", "保价"),
    _a("trade_in", r"trade[- ]?ins?|trading in|old (?:one|fryer|phone|ipad|tablet|device) for (?:a )?(?:discount|credit)",
       "以旧换新 旧机抵 抵旧 回收旧 旧换新", "trade-in", "以旧换新"),
    _a("invoice", r"invoices?|receipts?|fapiao?|vat|tax (?:id|number)",  # "fapia": its stem
       "发票 开票 报销 税号 抬头", "invoices", "发票"),
    # When the shop's people answer: a shop policy only ("客服几点下班", "what time is support online").
    _a("service_hours", r"customer (?:service|support)|service hours|support hours|opening hours|business hours|"
       r"what time\b[^?.!]{0,30}\b(?:online|open|reply|answer|available)|(?:online|open) (?:until|till)",
       "客服几点 几点下班 几点上班 几点在线 几点有人 在线时间 营业时间 客服时间 工作时间 客服在线 客服上班 客服下班",
       "customer service hours", "客服时间"),
    _a("recommend", r"recommend(?!\s+\w+ing\b)|which one|which is better|worth it|should i (?:buy|get)|suggest|"
       r"what do you think|opinion|your fav(?:ou)?rite|do you like",
       "推荐 哪个好 值得 选哪个 值不值 买哪个 你觉得 你喜欢 怎么样", "a recommendation", "推荐"),
)
BY_NAME = {a.name: a for a in ATTRIBUTES}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


# A character that is a unit or a word alone and part of another word here ("克" in 巧克力, 夹克).
_INSIDE = {"克": re.compile("巧克力|克服|夹克|克隆|马克|克制"), "升": re.compile("升[到起高降级温]|[上提攀回飙拉]升|升降"),
           "退": re.compile("退差价"),
           "折": re.compile("折叠|折射|骨折|折断|折痕|折磨|折腾|对折|转折|曲折|折纸|折起|折好|折成|波折")}


def _first_hit(text: str, attr: Attribute) -> int | None:
    best = None
    m = attr.en.search(text)
    if m:
        best = m.start()
    for word in attr.zh:
        t = _INSIDE[word].sub(lambda w: " " * len(w.group(0)), text) if word in _INSIDE else text
        pos = t.find(word)
        if pos >= 0 and (best is None or pos < best):
            best = pos
    return best


# Generic words ("how much", "size", "made of", "buy") often frame a specific question ("how much is
# shipping?", "does it contain nuts?", "what size for a 5-year-old?"): the specific one wins.
GENERIC = _GENERIC = frozenset({"charging", "price", "stock", "how_to_buy", "size", "weight", "volume", "material",
                      "color", "recommend", "use", "count", "age"})


# What a question is about beside the thing it names: "电池保修多久" asks the warranty of the
# battery, "does the case come with a strap?" what is included; these come before other specific ones.
# "开封的还能退吗" asks the returns policy; the opened state is context, not a shelf life asked.
NARROW = frozenset({"trade_in", "price_protection", "physical_store", "made_date", "coupon", "installment", "bundle", "included", "warranty", "certification", "invoice",
                    "returns", "endorsement"})


def _tier(name: str) -> int:
    return 0 if name in NARROW else 2 if name in _GENERIC else 1


# Words that name a value of an attribute, not the attribute: "the pink one, price pls?" picks the
# product by its colour and asks its price; "what colours?" asks the colour. Within a tier, an
# attribute named comes before one only given a value (a yes/no about the value keeps it: "is it
# pink?" asks nothing else).
_VALUE_WORDS = {
    "color": re.compile(rf"(?<![a-z])(?:{_COLOURS_EN})(?![a-z])|[{_COLOURS_ZH}]色"),
    "material": re.compile(rf"(?<![a-z])(?:{_MATERIALS_EN})(?![a-z])"),
}


def named(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """`detect` without what only a colour or material word raised: "the blue light ones r 79
    right?" names a product by its colour and states a price; it asks nothing about colours."""
    t = _norm(text)
    for values in _VALUE_WORDS.values():
        t = values.sub(" ", t)
    return detect(t, names)


_MATERIALS_ZH = re.compile(r"棉|钢|塑料|真?皮|木|竹|玻璃|陶瓷|硅胶|尼龙|涤纶|聚酯|羊毛|丝|铝|橡胶|鬃|亚麻")


def value_kinds(text: str) -> set[str]:
    """The kinds of value a text names: "nylon", "猪鬃" -> material, "浅灰色" -> color."""
    t = _norm(text)
    return {kind for kind, values in _VALUE_WORDS.items() if values.search(t)} | (
        {"material"} if _MATERIALS_ZH.search(t) else set())


def colour_names(text: str) -> set[str]:
    """The colours a text names ("yellow, green and red" -> 3)."""
    return {m.group(0).casefold() for m in _VALUE_WORDS["color"].finditer(_norm(text))}


def _valued(text: str, attr: Attribute) -> bool:
    values = _VALUE_WORDS.get(attr.name)
    return values is not None and _first_hit(values.sub(" ", text), attr) is None


_PER_MEASURE = re.compile(r"(?:一|每|1)\s*(?:斤|公斤|千克|米|平方米|平米|平方|平|两)\s*(?:要|是)?(?:多少钱|多钱|几块|多少|啥价|什么价)|"
                          r"\bhow much (?:is it |for )?(?:per|a|each) (?:metre|meter|kilo|kg|pound|lb|square)", re.IGNORECASE)


_CONTAINER = re.compile(r"\b(box|package|set|pack|bag|kit|jar|hamper|bundle)(?:es|s)?$")
_WHATS_IN = re.compile(r"\bwhat(?:'?s| is| comes| do (?:i|you|we) get)\s+(?:\w+\s+)?(?:in|inside|with)\s+"
                       r"(?:the|this|that|each|a|one|ur|your)\s+(?:box|package|set|pack|bag|kit|jar|hamper|bundle)\b")


def _unnamed(text: str, names: tuple[str, ...], keep_box: bool) -> str:
    t = _norm(text)
    for name in sorted(names, key=len, reverse=True):
        if name and not name.isascii():
            t = t.replace(name, " ")
        elif name:
            box = m.group(1) if keep_box and (m := _CONTAINER.search(_norm(name))) else ""
            t = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", box or " ", t)
    return t


_VIEW = re.compile(r"(?i)视角|视野|广角|拍(?:的|得)?(?:有)?多[宽广]|\bfield of view\b|\bfov\b|"
                   r"\bhow wide (?:does|can|will) (?:it|the \w+) (?:see|shoot|record|film|capture)")


def detect(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """The attributes a message asks about, specific before generic, then earliest first.
    `names`: the products' names and aliases, which say which product, not what is asked
    ("充电宝多少钱" asks the price, not about charging)."""
    t = _unnamed(text, names, keep_box=False)
    # "what's actually in the gift box?": with the name gone nothing is asked; the box the name
    # ends in says it ("what resistance levels are in the band set?" asks no contents)
    if not any(_first_hit(t, a) is not None for a in ATTRIBUTES) \
            and _WHATS_IN.search(_unnamed(text, names, keep_box=True)):
        return ["included"]
    hits = [(_tier(a.name), _valued(t, a), pos, i, a.name) for i, a in enumerate(ATTRIBUTES)
            if (pos := _first_hit(t, a)) is not None]
    found = [name for *_k, name in sorted(hits)]
    # "一包多少克", "有几个尺寸", "几种颜色": a count word frames another attribute, which is asked.
    if "count" in found and len(set(found) & _GENERIC) > 1:
        found = [a for a in found if a != "count"] + ["count"]
    if _VIEW.search(t):  # "拍的有多宽", "视角多大": how wide it sees, no size
        found = [a for a in found if a != "size"]
    # "一斤多少钱", "一米多少钱", "how much per metre": the measure frames the price asked
    if "price" in found and _PER_MEASURE.search(t):
        found = ["price", *(a for a in found if a not in ("price", "weight", "size"))]
    return found


def of_key(key: str) -> str | None:
    """The attribute a catalog spec key or policy key names (`box_size` -> size)."""
    if key in BY_NAME:
        return key
    words = _norm(key).replace("_", " ").replace("-", " ")
    if words.split()[-1:] in (["gift"], ["gifts"]):  # a shop's `gift` policy: what comes free with an order
        return "included"
    if {"registration", "filing", "licence", "license"} & set(words.split()):  # "registration_no = 苏械注准..."
        return "certification"
    # English compounds name their head last: a "sheet material" is a material, a "fill weight" a
    # weight, a "box size" a size.
    whole = detect(words)
    if whole and whole[0] not in _GENERIC:  # "load capacity" is a load limit, "battery life" a battery
        return whole[0]
    head = detect(words.split()[-1]) if words.split() else []
    found = head or whole
    return found[0] if found else None


def label(attr: str, lang: str) -> str:
    a = BY_NAME.get(attr)
    if a is None:
        return attr.replace("_", " ")
    return a.label_zh if lang == "zh" else a.label_en
