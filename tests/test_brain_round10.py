"""Tenth round (read from heldout17 after its one blind figure): a viewer's own weight is no claim
to correct ("本人95公斤"), the shop's product names are no claims ("Wash & Cure Station"), a pet
named with a risk to it gets the warning that names pets, a spec named after the attribute asked
answers it ("how heavy?": board_weight, not max_load; "comes with a paddle?": in_box), a stated
price asked back "earlier" is a trap, "哪个码" asks a size, two Chinese questions split at a space
when the second asks with 咋, "the bigger one" is a variant priced on its own. Catalogs built here,
never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder
from vhost.brain.own import viewer_numbers
from vhost.brain.parts import names_variant, question_parts
from vhost.brain.reading import is_question, stated_prices

BOARD: dict[str, Any] = {
    **item("board", "Harbor 11' Inflatable Paddle Board", 1499, "other"), "aliases": ["paddle board", "桨板"],
    "specs": {"max_load": "130 kg", "board_weight": "10.5 kg (board only)",
              "warranty": "2 years on seams against manufacturing defects",
              "in_box": "3-piece paddle, hand pump, leash, backpack",
              "packed_size": "95 x 42 x 28 cm in the backpack"},
    "i18n": {"zh": {"specs": {"max_load": "130公斤", "board_weight": "10.5公斤（仅板身）",
                              "in_box": "三节桨、手动打气筒、脚绳、背包"}}}}
VEST: dict[str, Any] = {
    **item("vest", "Calm Water Buoyancy Vest", 299, "apparel"), "aliases": ["vest", "浮力背心"],
    "specs": {"shell": "nylon", "foam": "PE foam", "sizes": "S/M: chest 80-100 cm; L/XL: chest 100-120 cm"},
    "faq": [{"q": "Which size should I pick?", "a": "Go by chest size: S/M for 80-100 cm, L/XL for 100-120 cm."}],
    "i18n": {"zh": {"specs": {"shell": "尼龙", "foam": "PE泡沫", "sizes": "S/M：胸围80-100厘米；L/XL：胸围100-120厘米"},
                    "faq": [{"q": "选哪个码？", "a": "按胸围选：80-100厘米选S/M，100-120厘米选L/XL。"}]}}}
PRINTER: dict[str, Any] = {
    **item("printer", "Nova P3 Resin Printer", 1899, "electronics"), "aliases": ["P3", "resin printer", "光固化打印机"],
    "specs": {"build_volume": "200 x 125 x 250 mm", "print_speed": "up to 80 mm/h",
              "layer_height": "0.02-0.15 mm"},
    "i18n": {"zh": {"specs": {"build_volume": "200 x 125 x 250毫米", "print_speed": "最高80毫米/小时",
                              "layer_height": "0.02-0.15毫米"}}}}
STATION: dict[str, Any] = {
    **item("station", "Nova Wash & Cure Box", 459, "electronics"), "aliases": ["wash & cure", "wash cure", "清洗固化机"],
    "selling_points": ["Washes and post-cures prints in one box"],
    "compliance_notes": ['Never say a cured print is food-safe or "cures" anything.']}
FERN: dict[str, Any] = {
    **item("fern", "Boston Fern in Hanging Pot", 89, "home"), "aliases": ["fern", "蕨类"],
    "specs": {"height": "30-40 cm"},
    "notices": ["Toxic if chewed: keep it away from cats, dogs and small children."],
    "i18n": {"zh": {"notices": ["误食有毒：请远离猫、狗和小孩。"]}}}
LITTER: dict[str, Any] = {
    **item("litter", "Tofu Cat Litter", 39, "other"), "aliases": ["cat litter", "猫砂"],
    "specs": {"weight": "2.6 kg per bag"},
    "notices": ["Keep sealed and dry; damp litter can go mouldy, do not let cats eat it."],
    "i18n": {"zh": {"specs": {"weight": "每袋2.6公斤"}, "notices": ["请密封防潮保存，受潮可能发霉，别让猫误食。"]}}}
POT: dict[str, Any] = {
    **item("pot", "Self-Watering Pot", 79, "home"), "aliases": ["self-watering pot", "懒人花盆"],
    "original_price": 119,
    "specs": {"price_by_size": "S 79 CNY; L 109 CNY", "weight": "S 1.1 kg; L 2.3 kg"},
    "i18n": {"zh": {"specs": {"price_by_size": "S号79元；L号109元", "weight": "S号1.1公斤；L号2.3公斤"}}}}
SHOP = {"returns": "7-day returns if unused; a pot that arrives broken is replaced free with a photo within 48 hours."}
SHOP_ZH = {"returns": "未使用支持7天无理由退货；花盆到货破损，48小时内拍照联系客服免费补发。",
           "bundle": "同一订单买P3打印机和Wash & Cure清洗固化机立减150元。"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    shop = {**SHOP, "bundle": "Buy the P3 and the Nova Wash & Cure Box in one order: 150 CNY off.", "i18n": {"zh": SHOP_ZH}}
    return Catalog.model_validate({"shop": shop, "products": [BOARD, VEST, PRINTER, STATION, FERN, LITTER, POT]})


@pytest.fixture(scope="module")
def answerer(catalog: Catalog) -> Answerer:
    return Answerer(catalog, UseEmbedder())



def test_the_viewers_own_weight_is_no_claim_to_correct(answerer: Answerer) -> None:
    assert viewer_numbers("本人95公斤😂 站上去会不会直接翻") == {"95"}
    assert viewer_numbers("那我老公胸围95 拿哪个码") == {"95"}
    assert viewer_numbers("这个是95公斤吗") == set()  # of the product: may be corrected
    d = decide(answerer, "本人95公斤😂 站上去会不会直接翻", "board")
    assert "不是哦" not in d.text and not any("contradicts" in r for r in d.reasons), d


def test_a_product_name_is_no_claim(catalog: Catalog, answerer: Answerer) -> None:
    station = catalog.get("station")
    assert check_compliance("Ask me anything about the Nova Wash & Cure Box!", "en", station, catalog).ok
    assert check_compliance("Buy the P3 and the nova wash & CURE box together.", "en", station, catalog).ok
    assert not check_compliance("It cures acne.", "en", station, catalog).ok  # the word itself still counts
    d = decide(answerer, "if i grab the P3 + the wash cure thing together, any deal?", "printer", "en")
    assert d.kind == "fact" and "150" in d.text, d


def test_a_pet_named_with_a_risk_gets_the_pet_warning(answerer: Answerer) -> None:
    assert is_question("家里俩猫 天天啃叶子的😂 买这个没事吧")
    d = decide(answerer, "家里俩猫 天天啃叶子的😂 买蕨类没事吧", "fern")
    assert d.kind == "fact" and "有毒" in d.text, d
    d = decide(answerer, "I've got two cats who chew everything, is the fern ok around them?", "fern", "en")
    assert "Toxic" in d.text, d
    # a pet product's own words are no risk asked; a pet loved is no question
    d = decide(answerer, "猫砂一袋多重？", "litter")
    assert "2.6" in d.text, d
    assert decide(answerer, "我家猫超爱蕨类", "fern").kind == "chat"


def test_the_spec_named_after_the_attribute_answers(answerer: Answerer) -> None:
    d = decide(answerer, "wait how heavy was the paddle board again? gotta carry it to the lake myself lol", "board", "en")
    assert "10.5" in d.text and "130" not in d.text, d  # not the load limit, nor the warranty's "against"
    d = decide(answerer, "does it come w a paddle or do i gotta buy one separately", "board", "en")
    assert "3-piece paddle" in d.text, d
    d = decide(answerer, "外面啥料子", "vest")
    assert "尼龙" in d.text, d
    d = decide(answerer, "打印尺寸多大啊 能一次打个头盔不", "printer")
    assert "200 x 125 x 250" in d.text, d
    d = decide(answerer, "最薄层厚能到多少", "printer")
    assert "0.02" in d.text, d


def test_a_family_members_measure_picks_a_size(answerer: Answerer) -> None:
    d = decide(answerer, "那我老公胸围95 拿哪个码", "vest")
    assert d.kind == "fact" and "S/M" in d.text, d


def test_a_price_asked_back_as_earlier_is_a_trap(answerer: Answerer) -> None:
    assert stated_prices("wait wasnt the P3 1499 earlier? i missed it", 1899) == ["1499"]
    assert stated_prices("上次直播不是1499吗", 1899) == ["1499"]
    d = decide(answerer, "wait wasnt the P3 1499 earlier? i missed it", "printer", "en")
    assert "Not quite" in d.text and "1899" in d.text, d


def test_a_second_question_asked_with_za_is_answered_too(answerer: Answerer) -> None:
    assert question_parts("大号多重啊 快递路上摔碎了咋办") == ["大号多重啊", "快递路上摔碎了咋办"]
    d = decide(answerer, "大号多重啊 快递路上摔碎了咋办", "pot")
    assert "2.3" in d.text and "48" in d.text, d


def test_the_bigger_one_is_a_variant_priced_on_its_own(answerer: Answerer) -> None:
    assert names_variant("and the bigger one? price") and names_variant("大号多少钱")
    assert not names_variant("how much is this one?")
    d = decide(answerer, "and the bigger one? price", "pot", "en")
    assert "109" in d.text, d


CHARGER: dict[str, Any] = {
    **item("charger", "Volt 65W Charger", 119, "electronics"), "aliases": ["charger", "充电头"], "original_price": 169,
    "faq": [{"q": "Does it come with a cable?", "a": "No, the cable is sold separately."}]}
CABLE: dict[str, Any] = {**item("cable", "Braided USB-C Cable", 39, "electronics"), "aliases": ["cable", "数据线"]}
PADDLE: dict[str, Any] = {
    **item("paddle", "Kestrel Kayak Paddle", 399, "other"), "aliases": ["kayak paddle"],
    "faq": [{"q": "Can I change the length?", "a": "No, the length is fixed at 230 cm."}]}
SUCCS: dict[str, Any] = {
    **item("succs", "Desert Succulent Set", 59, "home"), "aliases": ["succulents", "多肉"],
    "specs": {"pot": "each in a 5.5 cm black or white plastic nursery pot"},
    "i18n": {"zh": {"faq": [{"q": "为什么到手颜色和图片不一样？", "a": "多肉的颜色会随季节和光照变化，日照充足时会变粉变红。"}]}},
    "faq": []}


@pytest.fixture(scope="module")
def shop2() -> Answerer:
    shop = {"bundle": "Buy the 65W charger and the braided cable together: 148 CNY for both."}
    return Answerer(Catalog.model_validate({"shop": shop, "products": [CHARGER, CABLE, PADDLE, SUCCS]}), UseEmbedder())


def test_the_true_price_said_back_beside_a_deal_asked(shop2: Answerer) -> None:
    d = decide(shop2, "charger is 119? any deal if i grab the cable too", "charger", "en")
    assert d.kind == "fact" and "148" in d.text and "Not quite" not in d.text, d
    # a price a friend quoted is still the viewer's claim: corrected
    assert viewer_numbers("My friend said it's 99 in this live, right?") == set()
    d = decide(shop2, "My friend said it's 99 in this live, right?", "charger", "en")
    assert "Not quite" in d.text and "119" in d.text, d


def test_the_viewers_height_is_no_price(shop2: Answerer) -> None:
    d = decide(shop2, "can i shorten it? im only 155 lol", "paddle", "en")
    assert "230" in d.text and "399" not in d.text, d


def test_a_colour_faq_answers_its_own_question(shop2: Answerer) -> None:
    d = decide(shop2, "last time i bought succs they were all green, ur pic shows pink 🙄 why", "succs", "en")
    assert d.facts == ["succs/faq/0"], d  # the Chinese FAQ, to translate; not the black pot


def test_the_viewers_own_thing_is_not_the_product_asked(catalog: Catalog) -> None:
    from vhost.brain.naming import named_product

    plants = Catalog.model_validate({"products": [SUCCS, POT]})
    assert named_product(plants, "我的多肉能种这个懒人花盆吗").id == "pot"
    assert named_product(plants, "can my succulents go in the self-watering pot?").id == "pot"
    assert named_product(plants, "多肉多少钱").id == "succs"  # named alone: that one
    assert named_product(plants, "我的多肉怎么浇水").id == "succs"


def test_a_no_answers_a_place_named_with_what_is_refused(answerer: Answerer) -> None:
    board = dict(BOARD, faq=[{"q": "Can I take it in the sea?", "a": "Only on calm water; it is not for surf."}],
                 i18n={"zh": {"faq": [{"q": "能下海吗？", "a": "只能在平静水面使用，不适合冲浪。"}]}})
    a = Answerer(Catalog.model_validate({"products": [board]}), UseEmbedder())
    d = decide(a, "能去三亚冲浪不 那边浪挺大的", "board")
    assert d.kind == "fact" and "不适合冲浪" in d.text, d


def test_another_products_name_leaves_no_kind_asked() -> None:
    battery = {**item("bat", "Flight Battery", 299, "electronics"), "aliases": ["battery", "电池"],
               "faq": [{"q": "Which drones does it fit?", "a": "Only the Mini 2 SE."}]}
    drone = {**item("vista", "Vista Pro Drone", 4999, "electronics"), "aliases": ["vista pro"]}
    a = Answerer(Catalog.model_validate({"products": [battery, drone]}), UseEmbedder())
    d = decide(a, "does the battery fit the vista pro too?", "bat", "en")
    assert d.kind == "fact" and "Mini 2 SE" in d.text, d


def test_a_spare_part_priced_nowhere_is_unknown() -> None:
    from vhost.brain.rivals import MONEY

    assert not MONEY.search("2块2.0Ah锂电池") and not MONEY.search("两块电池")
    assert MONEY.search("29块钱") and MONEY.search("只要29块!") and MONEY.search("49元")
    drill = {**item("drill", "Volt 20V Drill", 399, "other"), "aliases": ["drill", "电钻"],
             "specs": {"battery": "2 x 2.0 Ah Li-ion", "charge_time": "about 60 minutes per battery"},
             "i18n": {"zh": {"specs": {"battery": "2块2.0Ah锂电池"}}}}
    a = Answerer(Catalog.model_validate({"products": [drill]}), UseEmbedder())
    d = decide(a, "can i buy an extra battery on its own? how much", "drill", "en")
    assert d.kind == "unknown" and "399" not in d.text and "60 minutes" not in d.text, d


def test_a_thing_asked_that_no_fact_names_is_unknown() -> None:
    keyboard = {**item("kb", "Raptor 75 Keyboard", 329, "electronics"), "aliases": ["keyboard", "键盘"],
                "specs": {"switches": "linear switches, 45 gf actuation, pre-lubed"},
                "faq": [{"q": "Does it work with a Mac?", "a": "Yes, flip the Win/Mac switch; Cmd and Option keycaps are in the box."}],
                "i18n": {"zh": {"faq": [{"q": "Mac能用吗？", "a": "能，把背面开关拨到Mac即可，盒内附Cmd和Option键帽。"}]}}}
    board = {**item("sup", "Tide SUP Board", 1299, "other"), "aliases": ["sup"], "specs": {"max_load": "120 kg"}}
    cam = {**item("cam", "Road Cam", 299, "electronics"), "aliases": ["dash cam"], "specs": {"field_of_view": "front 150°"}}
    a = Answerer(Catalog.model_validate({"products": [keyboard, board, cam]}), UseEmbedder())
    assert decide(a, "买键盘送腕托不", "kb").kind == "unknown"
    assert decide(a, "whats the switch lifespan? how many million keystrokes", "kb", "en").kind == "unknown"
    d = decide(a, "whats the max wind i can safely paddle in with this?", "sup", "en")
    assert d.kind == "unknown" and "120" not in d.text.split("What I know")[0], d
    d = decide(a, "whats the viewing angle on the front cam? my old one was super narrow", "cam", "en")
    assert d.kind == "fact" and "150" in d.text, d  # "angle" is what a field of view gives


def test_how_many_in_the_set_is_a_count_and_a_product_bought_alone_its_own_price() -> None:
    from vhost.brain.attributes import detect
    from vhost.brain.parts import asks_part_price

    assert "count" in detect("how many in the set n how much") and "included" not in detect("how many in the set?")
    assert detect("what's in the set?")[:1] == ["included"]
    assert asks_part_price("滤芯单买多少钱", ("净化器",)) and asks_part_price("an extra battery on its own? how much")
    assert not asks_part_price("那个二合一的单买多少钱", ("二合一", "清洗固化机"))
    station = {**item("station", "Wash & Cure Station", 399, "electronics"), "aliases": ["二合一", "清洗固化机"]}
    printer = {**item("printer", "M5 Printer", 1699, "electronics"), "aliases": ["M5"]}
    shop = {"bundle": "Buy the M5 and the Wash & Cure Station in one order: 150 CNY off."}
    a = Answerer(Catalog.model_validate({"shop": shop, "products": [printer, station]}), UseEmbedder())
    d = decide(a, "那个二合一的单买多少钱", "station")
    assert "399" in d.text and "150" not in d.text, d


def test_a_viewer_named_like_a_claim_clears_only_their_name_as_written(catalog: Catalog) -> None:
    station = catalog.get("station")
    assert check_compliance("Thanks, Best!", "en", station, catalog, names=("Best",)).ok
    assert not check_compliance("Best, it's the best box ever.", "en", station, catalog, names=("Best",)).ok
