from vhost.speech.replier import ReplyTrace, strip_echo, welcome_line


def test_strip_echo_drops_a_repeated_name_question_or_lead_in():
    assert strip_echo("Gus: No discount today.", "any discount?", "Gus") == "No discount today."
    assert strip_echo("阿杰说：是的。", "耳机防水吗?", "阿杰") == "是的。"
    assert strip_echo("耳机防水吗? 是的，防汗防溅。", "耳机防水吗?", "阿杰") == "是的，防汗防溅。"
    assert strip_echo("（请用中文回答）台灯有5档亮度。", "台灯有几档亮度?", "美美") == "台灯有5档亮度。"
    assert strip_echo("The mug costs $24.99.", "how much?", "Ben") == "The mug costs $24.99."


def test_said_is_what_went_to_the_voice_never_a_held_back_draft():
    t = ReplyTrace("c1", "price?", "Ben", "en", 0.0)
    t.reply_text = "It costs $19."  # the draft, held back by the catalog check
    t.dropped_fragments.append("It costs $19.")
    t.mismatches.append("$19")
    t.fallback = "Good question, let me double-check that for you."
    assert t.said == t.fallback and not t.grounded


def test_welcome_lines_use_the_viewers_name_in_their_language():
    assert welcome_line("Anna", "en") == "Hi Anna, welcome in!"
    assert "小雨" in welcome_line("小雨", "zh")


def test_a_model_line_addressed_to_another_name_loses_that_name() -> None:
    from vhost.speech.replier import strip_echo

    assert strip_echo("Jack: You're welcome! Have a great day!", "bye!", "Anna") == "You're welcome! Have a great day!"
    assert strip_echo("Sure, it fits.", "q", "Anna") == "Sure, it fits."  # a word, not a name
    assert strip_echo("Hi Anna, welcome!", "q", "Anna") == "Hi Anna, welcome!"
    # a name the prompt's history holds, in any script; not the asker's, not a word that starts one
    assert strip_echo("小鱼儿，这个我不确定。", "q", "阿杰", ("小鱼儿",)) == "这个我不确定。"
    assert strip_echo("阿杰，可以的。", "q", "阿杰", ("阿杰", "小鱼儿")) == "阿杰，可以的。"
    assert strip_echo("小鱼儿们都爱这款。", "q", "阿杰", ("小鱼儿",)) == "小鱼儿们都爱这款。"


def test_punctuation_alone_is_never_spoken() -> None:
    from vhost.brain.catalog import Catalog
    from vhost.speech.replier import offer_fragment

    catalog = Catalog.model_validate({"products": [{"id": "mug", "name": "Mug", "price": 10, "stock": 1}]})
    t = ReplyTrace("c1", "这个杯子多重？", "小美", "zh", 0.0)
    assert offer_fragment("。", t, catalog.products[0], catalog, lambda: 0.0) is None
    assert t.spoken_fragments == [] and t.dropped_fragments == []


def test_a_draft_held_for_its_language_falls_back_to_the_neutral_line_not_a_refusal() -> None:
    import asyncio

    from vhost.brain.catalog import Catalog
    from vhost.speech.replier import FALLBACK_LINE, checked_fragments

    catalog = Catalog.model_validate({"products": [{"id": "mug", "name": "Mug", "price": 10, "stock": 1,
                                                    "selling_points": ["Keeps tea hot"]}]})

    class English:  # a model that answers a Chinese question in English
        async def stream(self, *_a, **_k):
            yield "It keeps tea hot for hours."

    async def go() -> tuple[list[str], ReplyTrace]:
        t = ReplyTrace("c1", "杯子保温吗？", "小美", "zh", 0.0)
        frags = checked_fragments(English(), "q", t, catalog.products[0], catalog, system=None,
                                  max_new_tokens=32, clock=lambda: 0.0)
        return [x async for x in frags], t

    said, t = asyncio.run(go())
    assert said == [FALLBACK_LINE["zh"]] and t.fallback == FALLBACK_LINE["zh"]


def test_the_host_never_speaks_the_viewers_own_statement_as_its_own() -> None:
    assert strip_echo("Sure, I'll take two!", "I'll take two!", "Ben") == ""
    assert strip_echo("I'll take two! Great choice, Ben, the cart is below.", "I'll take two!", "Ben") \
        == "Great choice, Ben, the cart is below."


def test_another_viewers_name_before_a_dash_is_dropped_too() -> None:
    assert strip_echo("Priya — Tap the yellow cart below.", "thank you!!", "Rachel") == "Tap the yellow cart below."
    assert strip_echo("Rachel — the cart is below.", "thank you!!", "Rachel") == "Rachel — the cart is below."


def test_one_full_sentence_is_the_reply_and_a_short_opener_may_have_a_second() -> None:
    """Small talk stays short so speech never becomes the queue: the model is stopped after a
    sentence of 8+ words (16+ 汉字); after "Great question!" the sentence that answers follows."""
    import asyncio

    from vhost.brain.catalog import Catalog
    from vhost.speech.replier import checked_fragments

    catalog = Catalog.model_validate({"products": [{"id": "mug", "name": "Mug", "price": 10, "stock": 1,
                                                    "selling_points": ["Keeps tea hot"]}]})

    class Model:
        def __init__(self, reply: str) -> None:
            self.reply, self.sent = reply, 0

        async def stream(self, *_a, **_k):
            for word in self.reply.split(" "):
                self.sent += 1
                yield word + " "

    def run(reply: str, lang: str = "en") -> tuple[str, int]:
        model = Model(reply)

        async def go() -> list[str]:
            t = ReplyTrace("c1", "q", "Ben", lang, 0.0)
            frags = checked_fragments(model, "q", t, catalog.products[0], catalog, system=None,
                                      max_new_tokens=64, clock=lambda: 0.0)
            return [x async for x in frags]

        return " ".join(asyncio.run(go())), model.sent

    said, sent = run("I'm so glad you like this lovely mug for your tea. It is a great gift for friends too.")
    assert said == "I'm so glad you like this lovely mug for your tea." and sent < 14  # generation stopped
    said, _ = run("Great question! It keeps tea hot for the whole afternoon. Grab one today.")
    assert said == "Great question! It keeps tea hot for the whole afternoon."
    said, _ = run("这个杯子真的非常适合冬天泡茶喝哦。 送朋友也很合适的。", "zh")
    assert said == "这个杯子真的非常适合冬天泡茶喝哦。"


def test_a_greeting_to_another_name_greets_the_asker() -> None:
    # seen in bench.pace: Noah said hello, the model answered "Hello, Max! I'm Max, the host ..."
    assert strip_echo("Hello, Max! I'm Max, the host of the mug.", "hi!", "Noah") == \
        "Hello, Noah! I'm Max, the host of the mug."
    assert strip_echo("Thanks, Jack. Enjoy!", "thx", "Anna") == "Thanks, Anna. Enjoy!"
    assert strip_echo("Welcome back, Jack!", "back!", "") == "Welcome back!"
    assert strip_echo("Hello, Noah! Nice to see you.", "hi", "Noah") == "Hello, Noah! Nice to see you."
    assert strip_echo("Hi everyone!", "hi", "Noah") == "Hi everyone!"
    assert strip_echo("Thanks, Voyager fans love it.", "q", "Noah") == "Thanks, Voyager fans love it."


def test_a_first_fragment_that_goes_on_from_the_prompt_is_dropped():
    """The packaged model once opened with "the host of a live shopping stream." (its persona's
    role, from the prompt) before its own sentence."""
    assert strip_echo("the host of a live shopping stream.", "who r u lol", "Ava") == ""
    assert strip_echo("a live shopping host, that's me!", "who r u", "Ava") == ""
    assert strip_echo("I'm not sure if you mean me.", "who r u", "Ava") == "I'm not sure if you mean me."
    assert strip_echo("iPhone 15 works with it.", "iphone?", "Ava") == "iPhone 15 works with it."
