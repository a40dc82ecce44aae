"""Console strings in English and 中文, and the switch between them.

Every widget takes its labels from one `Translator` and re-reads them on `changed`, so a language
switch in the settings dialog relabels the open console at once (no restart mid-show).
A key with no entry falls back to its last part ("reason.flood" → "flood"): an unknown triage
reason is still shown, never a blank.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Signal

LANGUAGES = {"en": "English", "zh": "中文"}

# key: (English, 中文)
STRINGS: dict[str, tuple[str, str]] = {
    "window.title": ("vhost — operator console", "vhost — 主播控制台"),
    "status.starting": ("Starting: loading the voice and the language model…", "启动中：正在加载语音和语言模型…"),
    # chat panel
    "chat.title": ("Viewer chat", "观众弹幕"),
    "chat.hide_inactive": ("hide dropped", "隐藏已丢弃"),
    "chat.rank": ("rank {n}", "优先级 {n}"),
    "chat.merged": ("(×{n} viewers asked)", "（{n} 位观众问过）"),
    "chat.no_connectors": ("no live connectors", "无直播连接"),
    "latency.none": ("Reply latency: —", "回复延迟：—"),
    "latency.value": ("Reply latency p50 {p50:.2f} s (last {last:.2f} s, {n} replies)",
                      "回复延迟 p50 {p50:.2f} 秒（最近 {last:.2f} 秒，{n} 条）"),
    "intent.paid": ("paid", "付费"), "intent.safety": ("safety", "安全"), "intent.purchase": ("purchase", "购买"),
    "intent.question": ("question", "提问"), "intent.complaint": ("complaint", "投诉"),
    "intent.greeting": ("greeting", "问候"), "intent.other": ("other", "其他"),
    "intent.spam": ("spam", "垃圾"),
    "state.queued": ("queued", "排队中"), "state.dropped": ("dropped", "已丢弃"),
    "state.merged": ("merged", "已合并"), "state.dispatched": ("picked", "已选中"),
    "state.drafted": ("drafted", "已起草"), "state.drafting": ("drafting…", "起草中…"), "state.answering": ("answering", "回答中"),
    "state.answered": ("answered", "已回答"), "state.interrupted": ("cut off", "被打断"),
    "state.withdrawn": ("withdrawn", "已撤回"), "state.skipped": ("draft skipped", "草稿已跳过"),
    "state.expired": ("draft expired", "草稿已过期"), "state.event": ("to thank", "待感谢"),
    "reason.spam": ("spam", "垃圾信息"), "reason.duplicate": ("duplicate", "重复"),
    "reason.empty": ("empty", "空消息"), "reason.stale": ("too old", "已过时"),
    "reason.queue full": ("queue full", "队列已满"), "reason.withdrawn": ("withdrawn", "已撤回"),
    "reason.flood": ("flood", "刷屏"), "reason.rate limit": ("rate limit", "发言过快"),
    "reason.injection": ("prompt injection", "提示注入"), "reason.merged": ("merged", "已合并"),
    "reason.event": ("to thank", "待感谢"),
    "health.col.connector": ("Connector", "连接"), "health.col.state": ("State", "状态"),
    "health.col.detail": ("Detail", "详情"),
    "health.connecting": ("connecting", "连接中"), "health.live": ("live", "在线"),
    "health.reconnecting": ("reconnecting", "重连中"), "health.auth_failed": ("auth failed", "认证失败"),
    "health.stopped": ("stopped", "已停止"),
    # unanswered questions
    "questions.title": ("Not in the catalog — answer once, saved to the FAQ ({n})",
                        "资料里没有的问题 — 回答一次，存入问答（{n}）"),
    "questions.placeholder": ("Type the answer to the selected question…", "输入所选问题的答案…"),
    "questions.save": ("save to catalog", "存入商品资料"), "questions.answer": ("Answer", "回答"),
    # live dashboard
    "tab.chat": ("Chat", "弹幕"), "tab.dashboard": ("Dashboard", "数据看板"),
    "tab.dashboard_hint": ("Dashboard ●", "数据看板 ●"),
    "dash.switch": ("Viewers are asking about {name} — switch?", "观众在问「{name}」— 要切换吗？"),
    "dash.switch_detail": ("{n} questions about it in the last {m} min; {cur} about the product on screen.",
                           "近 {m} 分钟有 {n} 个相关提问；当前商品 {cur} 个。"),
    "dash.switch_button": ("Switch to {name}", "切换到「{name}」"),
    "dash.chat_rate": ("Chat, last minute", "近一分钟弹幕"), "dash.per_min": ("{n}/min", "{n} 条/分钟"),
    "dash.chat_total": ("{n} messages in all", "共 {n} 条"),
    "dash.coverage": ("Questions answered", "提问回答率"),
    "dash.coverage_detail": ("{covered} of {n} questions", "{n} 个提问答了 {covered} 个"),
    "dash.latency": ("Answer time (p50)", "回答用时（中位数）"),
    "dash.latency_detail": ("p95 {p95} · last {ago} ago", "p95 {p95} · 上次 {ago} 前"),
    "dash.waiting": ("Questions waiting", "待回答提问"), "dash.waiting_detail": ("oldest {s}", "最久 {s}"),
    "dash.unanswered": ("Not in the catalog", "资料里没有"),
    "dash.unanswered_detail": ("answer them below", "可在下方回答"),
    "dash.gifts": ("Gifts and paid", "礼物与付费"), "dash.gifts_detail": ("{n} in {m} min", "近 {m} 分钟 {n} 个"),
    "dash.seconds": ("{s:.1f} s", "{s:.1f} 秒"), "dash.seconds_whole": ("{s:.0f} s", "{s:.0f} 秒"),
    "dash.minutes": ("{m:.0f} min", "{m:.0f} 分钟"),
    "dash.per_minute": ("Chat per minute, by intent (last {m} min)", "每分钟弹幕，按意图（近 {m} 分钟）"),
    "dash.sentiment": ("Sentiment\nlast {m} min, {n} msgs", "情绪占比\n近 {m} 分钟 {n} 条"),
    "dash.no_data": ("No chat yet.", "暂无弹幕。"),
    "dash.now": ("now", "现在"), "dash.min_ago": ("−{n} min", "−{n} 分钟"),
    "dash.on_screen": ("on screen", "当前"),
    "dash.col.product": ("Interest per product", "各商品关注度"), "dash.col.mentions": ("Mentions", "提及"),
    "dash.col.questions": ("Questions", "提问"), "dash.col.purchase_signals": ("Purchase signals", "购买意向"),
    "dash.col.recent_questions": ("Questions, last {m} min", "近 {m} 分钟提问"),
    "sentiment.positive": ("positive", "正面"), "sentiment.neutral": ("neutral", "中性"),
    "sentiment.negative": ("negative", "负面"), "sentiment.complaint": ("complaint", "投诉"),
    # drafts
    "drafts.title": ("Drafts ({n})", "草稿（{n}）"),
    "drafts.empty": ("No drafts waiting.", "暂无待审草稿。"),
    "draft.approve": ("Approve", "通过"), "draft.edit": ("Edit", "编辑"),
    "draft.skip": ("Skip", "跳过"), "draft.pin": ("Pin", "置顶"), "draft.unpin": ("Unpin", "取消置顶"),
    "draft.original": ("Original: {text}", "原文：{text}"),
    "draft.held": ("Held — {reasons}", "已拦截 — {reasons}"),
    "draft.countdown": ("speaks in {s:.0f} s", "{s:.0f} 秒后自动播出"),
    "draft.pinned": ("pinned", "已置顶"),
    "draft.approved": ("approved — speaking next", "已通过 — 即将播出"),
    "draft.orphaned": ("Draft {id} left the queue while you were editing it; your text is in the say-now box: {text}",
                       "草稿 {id} 在你编辑时已离开队列；你的文字已放入立即说输入框：{text}"),
    "draft.edit_hint": ("Enter: approve the edited text · Shift+Enter: new line · Esc: cancel",
                        "回车：通过修改后的文本 · Shift+回车：换行 · Esc：取消"),
    # controls
    "mode.label": ("Mode:", "模式："), "mode.manual": ("Manual", "手动"),
    "mode.assisted": ("Assisted", "辅助"), "mode.auto": ("Auto", "自动"),
    "pause": ("Pause replies", "暂停回复"), "resume": ("Resume replies", "恢复回复"),
    "mute": ("Mute", "静音"), "unmute": ("Unmute", "取消静音"),
    "settings": ("Settings…", "设置…"),
    "say.placeholder": ("Type a line to say now, press Enter…", "输入要立即说的话，按回车…"),
    "say.button": ("Say now", "立即说"), "interrupt": ("Interrupt", "打断"),
    "product.label": ("Product:", "商品："), "emotion.label": ("Emotion:", "表情："),
    "emotion.neutral": ("neutral", "平静"), "emotion.happy": ("happy", "开心"),
    "emotion.excited": ("excited", "兴奋"), "emotion.surprised": ("surprised", "惊讶"),
    "emotion.thinking": ("thinking", "思考"), "emotion.sad": ("sad", "难过"),
    "log.title": ("Spoken / events", "播出 / 事件"),
    "log.say": ("You → say now: {text}", "你 → 立即说：{text}"),
    "log.reply": ("Host → {user}: {text}", "主播 → {user}：{text}"),
    "log.held": ("  ⚠ held back: {items}", "  ⚠ 已拦截：{items}"),
    "log.operator": ("Host (operator line): {text}", "主播（手动台词）：{text}"),
    "log.script": ("Host (script): {text}", "主播（脚本）：{text}"),
    "log.thanks": ("Host (thanks): {text}", "主播（感谢）：{text}"),
    "log.spoken_reply": ("Host (reply): {text}", "主播（回复）：{text}"),
    "log.spoken_other": ("Host ({source}): {text}", "主播（{source}）：{text}"),
    # menus, closing, tray (vhost.ui.shell)
    "menu.show": ("Show", "节目"), "menu.help": ("Help", "帮助"),
    "menu.show_console": ("Show console", "显示控制台"), "menu.stop_show": ("Stop the show and quit", "停止节目并退出"),
    "menu.capture_help": ("How to capture in OBS", "如何在 OBS 中采集"),
    "close.title": ("Stop the show?", "停止节目？"),
    "close.question": ("Stop the show?", "要停止节目吗？"),
    "close.info": ("Keep it running and the stage stays on air; reopen the console from the tray icon or the "
                   "stage window's right-click menu.",
                   "保持运行时舞台继续播出；可从托盘图标或舞台窗口的右键菜单重新打开控制台。"),
    "close.stop": ("Stop the show", "停止节目"), "close.keep": ("Keep running, hide the console", "继续运行，隐藏控制台"),
    "close.cancel": ("Cancel", "取消"),
    # how to capture the stage in OBS: the settings README documents and tests/test_obs_real.py checks
    "help.capture": ("**Window Capture** (recommended): in OBS add Sources → Window Capture and pick "
                     "\"vhost — stage\". The stage window is exactly 1920×1080 (1080×1920 in portrait) "
                     "device pixels, so nothing is scaled. (Where Window Capture shows nothing, e.g. some "
                     "Linux setups, use Screen Capture cropped to the stage window.)\n"
                     "Then right-click the capture → Filters → + → **Chroma Key**, and leave its defaults: "
                     "Key Color Type Green, Similarity 400, Smoothness 80, Key Color Spill Reduction 100. "
                     "The stage's background is pure green #00FF00, OBS's own key colour: the background "
                     "goes, the host, card and caption stay. Do not raise Similarity above 400 (at 500 the "
                     "white card and the skin key out too). A product photo keys out where it is green.\n"
                     "**One screen?** The console may cover part of the stage window. Window Capture's "
                     "newer method ignores that (Windows 10+: Capture Method \"Windows 10 (1903 and up)\"; "
                     "X11: xcomposite); the older BitBlt method captures the console too — choose the newer "
                     "method or move the console to a second screen.\n"
                     "**Browser Source** (OBS builds with a browser): http://127.0.0.1:8766/stage at "
                     "1920×1080; with [stage] background = \"transparent\" no key is needed.\n"
                     "**Scene switching**: in OBS, Tools → WebSocket Server Settings: enable it, note the "
                     "port (4455) and password, and put them in [control.obs] url and password; the footer "
                     "shows the connection.",
                     "**窗口采集**（推荐）：在 OBS 中添加 来源 → 窗口采集，选择“vhost — stage”。舞台窗口恰好为 "
                     "1920×1080（竖屏 1080×1920）设备像素，不会缩放。（若窗口采集没有画面，例如某些 Linux 环境，"
                     "请改用显示器采集并裁剪到舞台窗口。）\n"
                     "然后右键该来源 → 滤镜 → + → **色度键**，保持默认设置：关键颜色类型 绿色、相似度 400、"
                     "平滑度 80、关键颜色溢出减少 100。舞台背景为纯绿色 #00FF00，正是 OBS 默认的抠像颜色：背景被去掉，"
                     "主播、商品卡片和字幕完整保留。相似度不要超过 400（到 500 时白色卡片和皮肤也会被抠掉）。"
                     "商品图片中的绿色部分也会被抠掉。\n"
                     "**只有一块屏幕？**控制台可能遮住舞台窗口的一部分。窗口采集的新方式不受遮挡影响"
                     "（Windows 10 及以上：采集方式选“Windows 10 (1903 及以上)”；X11：xcomposite），旧的 BitBlt "
                     "方式会把控制台也采进去——请选择新方式，或把控制台移到第二块屏幕。\n"
                     "**浏览器来源**（带浏览器的 OBS 版本）：http://127.0.0.1:8766/stage，尺寸 1920×1080；"
                     "设置 [stage] background = \"transparent\" 时无需抠像。\n"
                     "**场景切换**：在 OBS 中打开 工具 → WebSocket 服务器设置，启用并记下端口（4455）和密码，"
                     "填入 [control.obs] 的 url 和 password；底部状态栏显示连接状态。"),
    "tray.tooltip": ("vhost — the show is running", "vhost — 节目进行中"),
    "tray.hidden": ("The show goes on. Reopen the console from this icon or the stage's right-click menu.",
                    "节目继续。可从此图标或舞台窗口的右键菜单重新打开控制台。"),
    "log.cut": (" [cut]", "［被打断］"),
    "log.answered": ("Answered: {text} — {detail}", "已回答：{text} — {detail}"),
    # status bar
    "token.label": ("Control API:", "控制接口："), "token.none": ("not running", "未运行"),
    "token.copy": ("Copy token", "复制令牌"), "token.copied": ("token copied", "令牌已复制"),
    "obs.label": ("OBS:", "OBS："), "obs.disabled": ("off", "未启用"),
    "obs.connecting": ("connecting", "连接中"), "obs.connected": ("connected", "已连接"),
    "obs.auth_failed": ("auth failed", "认证失败"), "obs.disconnected": ("disconnected", "已断开"),
    "obs.retry": ("retry in {s:g} s", "{s:g} 秒后重试"),  # an "obs" event's retry_in_s
    # settings dialog
    "settings.title": ("Settings", "设置"),
    "settings.audio": ("Audio output device", "音频输出设备"),
    "settings.audio_default": ("(system default)", "（系统默认）"),
    "settings.audio_none": ("No audio devices found; the show runs silent.", "未找到音频设备，节目将静音运行。"),
    "settings.voice": ("Voice engine", "语音引擎"),
    "settings.voice_zh": ("Voice engine for Chinese", "中文语音引擎"),
    "settings.kokoro_voice": ("Kokoro voice", "Kokoro 音色"), "settings.model": ("Language model", "语言模型"),
    "settings.mode": ("Reply mode", "回复模式"), "settings.language": ("Console language", "界面语言"),
    "settings.language_system": ("System", "跟随系统"),
    "settings.shortcuts": ("In-app shortcuts", "应用内快捷键"),
    "settings.hotkeys": ("Global hotkeys (while other apps have focus)", "全局热键（其他应用在前台时）"),
    "settings.file": ("Settings file: {path}", "设置文件：{path}"),
    "settings.general": ("General", "常规"), "settings.save": ("Save", "保存"), "settings.cancel": ("Cancel", "取消"),
    "settings.hotkeys_hint": ("One per line: <ctrl>+<alt>+i = interrupt (pynput syntax). Work while OBS has focus; "
                              "not on Wayland.",
                              "每行一个：<ctrl>+<alt>+i = interrupt（pynput 语法）。OBS 在前台时也有效；Wayland 下不可用。"),
    "settings.invalid": ("Not saved — please fix:", "未保存，请修正："),
    "settings.obs": ("OBS", "OBS"), "settings.obs_url": ("obs-websocket URL", "obs-websocket 地址"),
    "settings.obs_password": ("Password", "密码"),
    "settings.obs_password_kept": ("(stored — leave empty to keep it)", "（已保存，留空则保持不变）"),
    "settings.obs_password_none": ("(none)", "（无）"),
    "settings.obs_clear": ("Remove the stored password", "删除已保存的密码"),
    "settings.obs_hint": ("OBS 28+: Tools → WebSocket Server Settings (port 4455 and the password). Saved, the link "
                          "reconnects at once with them, no restart; an empty URL turns it off at once.",
                          "OBS 28+：工具 → WebSocket 服务器设置（端口 4455 和密码）。保存后立即用新设置重新连接，"
                          "无需重启；地址留空则立即断开 OBS。"),
    "settings.save_failed": ("Could not save {path}: {error}", "无法保存 {path}：{error}"),
    "settings.saved": ("Settings saved to {path}", "设置已保存到 {path}"),
    "shortcut.interrupt": ("Interrupt", "打断"), "shortcut.approve_top": ("Approve first draft", "通过第一条草稿"),
    "shortcut.edit_top": ("Edit first draft", "编辑第一条草稿"), "shortcut.skip_top": ("Skip first draft", "跳过第一条草稿"),
    "shortcut.pin_top": ("Pin first draft", "置顶第一条草稿"), "shortcut.focus_say": ("Go to say-now box", "跳到立即说输入框"),
    "shortcut.toggle_pause": ("Pause / resume replies", "暂停 / 恢复回复"),
    "shortcut.toggle_mute": ("Mute / unmute", "静音 / 取消静音"),
    "shortcut.mode_manual": ("Manual mode", "手动模式"), "shortcut.mode_assisted": ("Assisted mode", "辅助模式"),
    "shortcut.mode_auto": ("Auto mode", "自动模式"),
}


def lookup(key: str, language: str = "en") -> str:
    """The string for `key` (unformatted); an unknown key falls back to its last part."""
    pair = STRINGS.get(key)
    return pair[1 if language == "zh" else 0] if pair else key.rsplit(".", 1)[-1]


def system_language() -> str:
    """"zh" for a Chinese system locale (zh_CN, zh_TW, …), else "en"."""
    return "zh" if QLocale.system().name().lower().startswith("zh") else "en"


class Translator(QObject):
    changed = Signal(str)  # the new language code

    def __init__(self, language: str | None = None) -> None:
        super().__init__()
        self.language = self._check(language or system_language())

    @staticmethod
    def _check(language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; choose from {', '.join(LANGUAGES)}")
        return language

    def t(self, key: str, **fields: object) -> str:
        text = lookup(key, self.language)
        return text.format(**fields) if fields else text

    __call__ = t

    def set_language(self, language: str | None) -> None:
        language = self._check(language or system_language())
        if language != self.language:
            self.language = language
            self.changed.emit(language)
