"""Common spec words in English and Chinese, so a question in one language finds a spec key
written in the other ("带线吗?" -> `cable`, "编码" -> `codecs`, "面料" -> `fabric`).

A catalog's spec keys are free text; the attribute table (vhost.brain.attributes) covers what
shoppers ask about most, this covers the names of the specs themselves. Each English word maps to
the Chinese words a viewer would type; both go into the fact's match texts.
"""

from __future__ import annotations

import re

GLOSSARY: dict[str, str] = {
    # any product
    "standard": "符合 达标 国标", "standards": "符合 达标 国标",  # not 标准: that says a certificate (attributes)
    # electronics
    "cable": "线 数据线 充电线 带线", "codec": "编码 解码 音质", "codecs": "编码 解码 音质",
    "bluetooth": "蓝牙", "driver": "单元 喇叭", "latency": "延迟", "microphone": "麦克风 通话",
    "mic": "麦克风 通话", "noise": "降噪", "anc": "降噪", "screen": "屏幕 屏", "display": "屏幕 显示",
    "brightness": "亮度 亮不亮", "resolution": "分辨率 清晰度", "ports": "接口 口", "port": "接口 口",
    "output": "输出 功率", "input": "输入", "power": "功率 电源", "voltage": "电压", "plug": "插头",
    "charger": "充电器 充电头", "gps": "定位 导航", "nfc": "NFC 刷卡", "sensor": "传感器",
    "strap": "表带 带子", "band": "表带", "storage": "内存 存储 储存 保存 存放", "memory": "内存", "range": "距离 范围",
    "speed": "速度 多快", "app": "应用 软件 手机 连手机 手机上", "modes": "模式", "mode": "模式", "lights": "灯 灯光",
    "processor": "芯片 处理器 跑得动", "chip": "芯片", "chipset": "芯片", "night": "夜视 晚上 夜间 夜里", "vision": "夜视",
    "audiobooks": "有声书 听书 有声", "audiobook": "有声书 听书 有声", "speaker": "喇叭 扬声器 外放 音箱",
    "speakers": "喇叭 扬声器 外放 音箱", "cloud": "云存储 云端 云服务", "fits": "适配 兼容 装得上 装上去 通用",
    "ipd": "瞳距", "refresh": "刷新率 刷新", "gauge": "密度 织片密度 几针几行",
    "remote": "遥控 遥控器", "motor": "电机 马达", "energy": "用电量 耗电量 度电 多少度电 耗电",
    "monitoring": "监测 统计 查看", "voice": "语音 声控", "density": "密度",
    "transmission": "图传 信号 传输 距离 多远", "obstacle": "避障 障碍", "sensing": "感知 避障",
    "tracking": "跟踪 跟随 跟拍", "altitude": "海拔 高度", "camera": "相机 摄像头 镜头 cam",
    "video": "视频 录像 拍视频", "photo": "照片 拍照", "gimbal": "云台 防抖", "flight": "飞行 续航 飞多久",
    "takeoff": "起飞", "view": "视角 视野 角度 广角", "fov": "视角 视野 角度 广角",
    # cosmetics
    "spf": "防晒 防晒指数 倍数", "upf": "防晒 防晒系数 防晒指数 防紫外线 紫外线", "pa": "防晒", "texture": "质地 肤质 感觉", "scent": "味道 香味 香精",
    "fragrance": "香味 香精", "finish": "妆效 效果", "shade": "色号 颜色", "shades": "色号 颜色",
    "skin": "肤质 皮肤", "ingredients": "成分 配方", "ingredient": "成分", "filter": "过滤 滤网 滤芯 防晒剂 防晒类型",
    "opened": "开封", "pao": "开封后", "reapply": "补涂 补擦 再涂", "sheets": "片", "essence": "精华液 精华", "drops": "滴",
    # food
    "shelf": "保质期", "expiry": "保质期 有效期", "storage_temp": "储存 温度", "origin": "产地",
    "made": "产地 生产", "calories": "热量 卡路里", "sugar": "糖 含糖", "protein": "蛋白质",
    "nutrition": "营养 营养成分 热量 卡路里 calories calorie kcal", "fibre": "纤维", "fiber": "纤维", "allergens": "过敏 过敏原", "brewing": "冲泡 泡法 怎么泡",
    "temperature": "温度 水温 几度", "net": "净含量 重量", "flavor": "口味 味道", "flavour": "口味 味道",
    "taste": "口味 味道", "servings": "份 几份", "serving": "份量", "harvest": "采摘 产季", "grade": "等级",
    # drinks ("多少度" is the strength of a spirit as often as a temperature); an English synonym
    # may follow the Chinese words ("strong" for abv): the first word is still the Chinese label
    "abv": "酒精度 度数 多少度 几度 strong strength alcohol", "alcohol": "酒精 酒精度",
    "vintage": "年份 哪年 几几年", "grapes": "葡萄品种 葡萄", "grape": "葡萄品种 葡萄",
    "closure": "瓶塞 封口 瓶口 开瓶器 开瓶", "cork": "软木塞 瓶塞", "decanting": "醒酒 醒多久",
    "casks": "橡木桶 桶 陈酿", "cask": "橡木桶 桶", "ageing": "陈酿 桶", "aging": "陈酿 桶",
    "sweetness": "甜度 甜不甜", "polishing": "精米步合 精米", "tannins": "单宁",
    # apparel
    "fabric": "面料 材质 布料", "fill": "填充 充绒 绒", "down": "羽绒 绒", "lining": "内衬 里料",
    "fit": "版型 合身", "sizes": "尺码 码数", "size_chart": "尺码表 尺码", "height": "身高 高度",
    "chest": "胸围", "waist": "腰围", "length": "长度 衣长", "sole": "鞋底", "drop": "落差",
    "insole": "鞋垫", "upper": "鞋面", "collar": "领口 领子", "sleeve": "袖子 袖长", "hood": "帽子 连帽",
    "pockets": "口袋", "shell": "外层 外壳 外面 面料", "foam": "泡沫 海绵 填充 填的",
    "packed": "收纳 收起来 收进 打包 折叠后 收好", "build": "打印尺寸 成型尺寸 打印范围 打印体积 成型体积 能打多大",
    "volume": "体积 容量", "layer": "层厚 层高 一层", "stretch": "弹力 弹性", "thickness": "厚度 厚不厚", "warmth": "保暖 暖和",
    # kitchen / home
    "blade": "刀刃 刀身 刀", "layers": "层 层数", "steel": "钢 钢材", "hardness": "硬度 HRC",
    "handle": "手柄 把手", "diameter": "直径 尺寸", "depth": "深度", "coating": "涂层 不粘",
    "induction": "电磁炉", "oven": "烤箱", "lid": "盖子 锅盖", "sharpening": "磨刀 开刃",
    "wattage": "功率 瓦数", "capacity": "容量 大小", "cord": "电线 线长 电源线", "noise_level": "噪音",
    "shading": "遮光 遮光率 遮光效果 挡光", "blackout": "遮光", "custom": "定做 定制 订做",
    "flame": "阻燃 防火 着火", "rating": "等级 级别", "pile": "毛 绒毛 毛长", "backing": "底 背面 防滑",
    "contents": "里面 内容", "extras": "赠品 附送 送",
    # toys
    "players": "人数 几个人 几人 玩家", "player": "人数 几个人 玩家", "pieces": "片 块 颗粒 零件", "age": "年龄 岁", "stunts": "特技 动作", "battery": "电池",
    "charge": "充电", "runtime": "续航 玩多久", "speed_kmh": "速度", "scale": "比例",
    "minifigures": "小人仔 人偶", "figures": "人偶 小人", "washing": "清洗 洗", "eyes": "眼睛",
    # shop
    "warranty": "保修 质保", "invoice": "发票 开票", "gift": "礼物 礼盒 赠品 送 赠送", "wrapping": "包装 礼品包装",
    "packaging": "包装 盒子", "box": "盒子 包装 盒", "courier": "快递 物流",
    "curing": "照灯 照 固化 照多久 烤", "cure": "照灯 照 固化 烤", "removal": "卸 卸甲 卸除 去除",
    # furniture, robots, cars
    "desktop": "桌面 桌板 台面 top", "legs": "桌腿 腿",
    "suction": "吸力 吸得 吸尘", "mopping": "拖地 拖布 能拖地", "bag": "袋 尘袋 集尘袋",
    "bin": "尘盒 集尘盒 垃圾盒", "threshold": "门槛 门坎 过坎 越障 sill sills",
    "tank": "水箱", "station": "基站", "dock": "充电座 基座 集尘座", "navigation": "导航",
    "cabin": "车内 车里 车厢 车里面", "rear": "后摄 后拉 后路 后面", "front": "前摄 前路 前面",
    "controller": "控制器 控制面板 按键 面板", "upstairs": "上楼 送上楼 搬上楼 电梯", "lift": "电梯 升降",
    "cadr": "净化能力 洁净空气量 净化效率 净化速度", "lens": "镜头 视角", "operating": "工作温度 耐温 扛多少度 多少度 高温 低温", "parking": "停车 停车监控 停车录像",
    "hemming": "改短 改长度 裁短 修改 改衣", "hem": "裙摆 下摆 摆围", "circumference": "周长 摆围 围度", "alterations": "改短 修改 改衣 改尺寸", "exchange": "换货 换码 调换 换",
}


def chinese_for(words: str) -> str:
    """The Chinese words for a spec key's English words ("fast_charge" -> "充电")."""
    out = []
    for w in words.lower().replace("_", " ").replace("-", " ").split():
        zh = GLOSSARY.get(w) or GLOSSARY.get(w.rstrip("s"))
        if zh:
            out.append(zh)
    return " ".join(out)


# What a spec's value shows it gives, in the words a Chinese viewer asks it by: a screen spec
# "1680 x 1264, 300 ppi" gives the resolution ("分辨率多少"); "1.43-inch AMOLED" does not.
_VALUE_WORDS = ((re.compile(r"\bppi\b|\b\d{3,4}\s*[x×]\s*\d{3,4}\b|\b(?:720|1080|1440|2160)p\b|\b[248]k\b", re.IGNORECASE),
                 "分辨率 清晰度"),
               (re.compile(r"field of view|\bfov\b", re.IGNORECASE), "视角 视野 广角 多宽 拍多宽"))


def chinese_for_value(value: str) -> str:
    """Chinese words for what a spec's value gives ("300 ppi" -> "分辨率 清晰度"), or ""."""
    return " ".join(words for pattern, words in _VALUE_WORDS if pattern.search(value))
