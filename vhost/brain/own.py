"""What a viewer says of their own things, not of the product: "my shelf gap is 80cm", "I'm 185
cm", "我家飘窗宽1.2米 高1.5米", "公司要订50盒", "my old cheap uke", "I've got a 250L tank". A number
there is no claim for the host to correct, and a thing there names none of the shop's products.
"""

from __future__ import annotations

import re
import unicodedata

# A number the viewer gives about their own things ("my shelf gap is 80cm", "would my 15.6 inch
# laptop fit?", "I'm 185 cm", "我手腕才14"): no claim about the product for the host to correct.
_OWN_EN = re.compile(r"(?i)\b(?:my|our)\s+(?:(?!said\b|says\b|told\b|saw\b|heard\b|thinks?\b|bought\b|paid\b|got\b)[a-z'-]+\s+){0,6}?(?:is|are|'s|=)?\s*(?:about|around|like|only|just)?\s*"
                     r"(\d+(?:\.\d+)?)|\bi(?:'?m| am)\s+(?:about\s+|around\s+|like\s+|only\s+|just\s+)?(\d+(?:\.\d+)?)|"
                     # what the viewer buys ("ordering 3 packs"), and their thing told after the
                     # question ("how much per water change? tank's 60L")
                     r"\b(?:order(?:ing)?|buy(?:ing)?|grab(?:bing)?|getting)\s+(\d+)|"
                     # what the viewer does ("i swing driver ~90mph"), not what they were told or paid
                     r"\bi\s+(?!heard\b|saw\b|seen\b|think\b|thought\b|read\b|was\b|paid\b|bought\b|got\b|remember\b)"
                     r"[a-z]+\s+(?:[a-z'-]+\s+){0,3}?(?:about|around|like|~)?\s*(\d+(?:\.\d+)?)|"
                     r"[?？]\s*(?!it'?s\b)[a-z]+'s\s+(?:about\s+|like\s+)?(\d+(?:\.\d+)?)(?![^?？]*[?？])|"
                     # one side after the other ("my left eye is -6.25 and right is -4.75")
                     r"\b(?:left|right)(?:\s+(?:eye|one|side|foot|hand|ear))?\s+(?:is|'s|=)\s*[-+]?(\d+(?:\.\d+)?)")
_OWN_ZH = re.compile(r"(?:我的|我家|我们家|家里|本人|(?:我|俺)(?=[\u4e00-\u9fff]{0,3}(?:手腕|手|脚|身高|体重|腰|头|个子|手机|车|电脑|"
                     r"房间|床垫|床|阳台|书架|桌子|插座|宝宝|孩子|儿子|女儿|老公|老婆|爸|妈|对象|男朋友|女朋友|胸围|腰围|臀围|"
                     r"怀孕|怀了|孕|哺乳|喂奶|住)))"
                     r"[^，。？！?!,\s]{0,10}?(\d+(?:\.\d+)?)|"
                     # the viewer's own weight or height ("我95公斤", "俺一米八 170斤"): no claim about the product
                     r"(?:^|[\s，,。!！])(?:我|俺)(?:才|有|都|大概|差不多|快)?(\d+(?:\.\d+)?)\s*(?=公斤|斤|kg|千克|cm|厘米|公分)|"
                     # a bare height ("我155 85的还是长了点"): 140-199 after 我, no money after it
                     r"(?:^|[\s，,。!！])(?:我|俺)(?:才|有|都|大概|差不多|快)?(1[4-9]\d)(?![\d.]|\s*(?:元|块|米|毫|w|W))|"
                     # what the viewer orders ("公司要订50盒", "拍3袋")
                     r"(?:订|买|拍|下单|囤)(\d+)\s*(?=[个件盒箱袋包瓶套份罐条双只张])|"
                     # the viewer's own bar ("蛋白低于35的都不爱吃"): what they want, no claim about ours
                     r"(?:低于|高于|少于|多于|不到|超过)(\d+(?:\.\d+)?)\s*%?\s*的")
# More measures of the same thing after the first ("宽1.2米 高1.5米", "60 x 80 cm").
_MORE_MEASURES = re.compile(r"[^，。？！?!,;\d]{0,4}?(?:[宽高长深厚]|wide|high|tall|long|deep|by|x|×|\*)?\s*"
                            r"(\d+(?:\.\d+)?)\s*(?:米|厘米|公分|毫米|cm|mm|m\b)?", re.IGNORECASE)


# A version asked for ("do u have a 28 inch version?", "有没有28寸的"): a number asked about, not
# said of this product.
_VARIANT_EN = re.compile(r"(?i)\b(?:do|does)\s+(?:you|u|it|they)\s+(?:guys\s+)?(?:have|has|come\s+in|make|sell)\s+"
                         r"(?:an?\s+|the\s+|any\s+)?(?:bigger\s+|smaller\s+)?(\d+(?:\.\d+)?)|"
                         r"\b(?:is\s+there|any|got)\s+(?:an?\s+)?(\d+(?:\.\d+)?)\s*(?:-|\s)?(?:inch|in|cm|l|ml|\"|寸)|"
                         # the viewer's own thing it is for ("need one for a 25cm pot", "fit my 15 inch laptop")
                         r"\b(?:for|fits?|hold)\s+(?:an?|my|our)\s+(\d+(?:\.\d+)?)\s*(?:-|\s)?(?:inch|in|cm|mm|l|ml|\"|寸)|"
                         # a size asked about ("is orange in 43 still in stock?", "in size 38 available?")
                         r"\bin\s+(?:size\s+)?(\d+(?:\.\d+)?)\s+(?:still|in\s+stock|available|left)\b|"
                         # a target the viewer wants it taken to ("expand it? like to 2kwh")
                         r"\b(?:expand|upgrade|extend|increase|add|bump|boost)\w*\b[^.!]{0,25}?\bto\s+(\d+(?:\.\d+)?)")
_VARIANT_ZH = re.compile(r"有没有(\d+(?:\.\d+)?)|有(\d+(?:\.\d+)?)\s*(?:寸|英寸|厘米|升|毫升|码|号)[^，。？?]{0,4}(?:吗|嘛|不|没)|"
                         r"(?:扩容|扩展|扩|升级|加)到(\d+(?:\.\d+)?)")


# A value stated and asked back ("it's 18 metres long right?", "抹布是40x40的吧"), not a variant asked for.
_ASKED_BACK = re.compile(r"\b(?:right|yeah|ya|correct|isn'?t it)\b\s*(?:[?？!.]|$)|对吧|是吧|吧|对不对|是不是|对吗",
                         re.IGNORECASE)


def asked_back(text: str) -> bool:
    return bool(_ASKED_BACK.search(text)) and not viewer_numbers(text)


# What the viewer says of their own things ("my old cheap uke", "我家的旧电饭煲"), not asked of ours.
_OWN_THINGS = re.compile(r"(?i)\b(?:my|our)\s+(?:\w+['’]s\s+)?(?:old|current|last|previous|cheap|other)\s+(?:\w+\s+)?\w+|"
                         r"(?:我|我家|我们家)(?:的)?(?:旧|老|之前|以前|原来)的?\S{1,4}")


def without_own_things(text: str) -> str:
    return _OWN_THINGS.sub(" ", text)


# A thing of the viewer's given with its measure ("I've got a 250L tank", "for my 60L tank",
# "我家60升的缸"): it says what ours must suit, it does not name our product.
_OWN_MEASURED = re.compile(r"(?i)\b(?:i'?ve got|i have|i got|i own|my|for (?:an?|my))\s+(?:an?\s+)?"
                           r"\d+(?:\.\d+)?\s*[a-z]{0,6}\s+[a-z]+|(?:我家|我的|我这)\d+(?:\.\d+)?\S{0,2}的?\S{1,2}")


def without_own_measured(text: str) -> str:
    return _OWN_MEASURED.sub(" ", text)


def viewer_numbers(text: str) -> set[str]:
    """The numbers a message gives about the viewer's own things, or a version it asks for, not
    about the product."""
    t = unicodedata.normalize("NFKC", text)
    found = (*_OWN_EN.finditer(t), *_OWN_ZH.finditer(t), *_VARIANT_EN.finditer(t), *_VARIANT_ZH.finditer(t))
    out: set[str] = set()
    for m in found:
        out |= {g for g in m.groups() if g}
        end = m.end()
        while (more := _MORE_MEASURES.match(t, end)) is not None and more.end() > end:
            out.add(more.group(1))
            end = more.end()
    return out
