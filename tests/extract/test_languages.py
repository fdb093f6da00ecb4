"""Russian and Ukrainian: figures, places, sources, certainty and types, table-driven on our own
sentences (written for these tests, in the style of each language's news), one table per task
and language. The corpus articles are tested in tests/test_corpus.py."""
from __future__ import annotations

import pytest

from claimledger.extract.run import get_nlp


@pytest.fixture(scope="module")
def ru():
    return get_nlp(lang="ru")


@pytest.fixture(scope="module")
def uk():
    return get_nlp(lang="uk")


def numbered(table) -> list[str]:
    return [f"{row[0]}-{k}" for k, row in enumerate(table)]


def claims_of(nlp, text: str, outlet: str | None = None, published: str | None = "2025-11-20"):
    doc = nlp.make_doc(text)
    doc._.outlet = outlet
    doc._.published = published
    return nlp(doc)._.claims


def only_claim(nlp, text: str, **kw):
    claims = claims_of(nlp, text, **kw)
    assert len(claims) == 1, [c.sentence for c in claims]
    return claims[0]


FIGURES = [
    # (language, sentence, figure text, value, low, high, bound, unit, category, party)
    ("ru", "Российские войска освободили более 30 населённых пунктов в Харьковской области.",
     "более 30 населённых пунктов", 30, 30, None, "lower", "settlements", "seized", "RU"),
    ("ru", "В ходе боёв уничтожено до 230 военнослужащих ВСУ.",
     "до 230 военнослужащих", 230, None, 230, "upper", "persons", "killed", "UA"),
    ("ru", "Из города эвакуировали около пятисот человек.",
     "около пятисот человек", 500, None, None, "approx", "persons", "evacuated", "CIV"),
    ("ru", "Уничтожены более двух тысяч боевиков и наёмников.",
     "более двух тысяч боевиков", 2000, 2000, None, "lower", "persons", "killed", "UA"),
    ("ru", "Есть двое пострадавших, сообщили в полиции.", "двое пострадавших", 2, None, None, "exact", "persons",
     "wounded", "CIV"),
    ("ru", "Армия уничтожила три танка и две бронемашины противника.",
     "три танка", 3, None, None, "exact", "vehicles", "destroyed", "UA"),
    ("uk", "З Вовчанська евакуювали понад 500 жителів.",
     "понад 500 жителів", 500, 500, None, "lower", "persons", "evacuated", "CIV"),
    ("uk", "Окупанти захопили 13 населених пунктів на Харківщині.",
     "13 населених пунктів", 13, None, None, "exact", "settlements", "seized", "RU"),
    ("uk", "Загалом з області евакуювали 10 700 людей.",
     "10 700 людей", 10700, None, None, "exact", "persons", "evacuated", "CIV"),
    ("uk", "У місті залишається приблизно 100 цивільних.",
     "приблизно 100 цивільних", 100, None, None, "approx", "persons", "other", "CIV"),
    ("uk", "Внаслідок обстрілу загинули двоє чоловіків.", "двоє чоловіків", 2, None, None, "exact", "persons",
     "killed", "CIV"),
    ("uk", "Окупанти не дають евакуюватися приблизно 200 мешканцям села.",  # nothing happened: negated
     "приблизно 200 мешканцям", 200, None, None, "approx", "persons", "other", "CIV"),
    ("ru", "Военные взяли в заложники около 40 жителей села.",  # people are captured, not seized
     "около 40 жителей", 40, None, None, "approx", "persons", "captured", "CIV"),
]


@pytest.mark.parametrize("lang,sentence,text,value,low,high,bound,unit,category,party", FIGURES, ids=numbered(FIGURES))
def test_figures(request, lang, sentence, text, value, low, high, bound, unit, category, party):
    claim = only_claim(request.getfixturevalue(lang), sentence)
    found = [q for q in claim.quantities if q.text == text]
    assert found, [q.text for q in claim.quantities]
    q = found[0]
    assert (q.value, q.low, q.high, q.bound, q.unit, q.category, q.party) == \
        (value, low, high, bound, unit, category, party)


NOT_FIGURES = [
    ("ru", "МОСКВА, 27 окт — РИА Новости. Армия России освободила село, заявили в Минобороны."),
    ("uk", "20 листопада 202-й полк відступив з міста, повідомили в Генштабі ЗСУ."),
    ("ru", "Бои за город идут уже 3 месяца, сообщил Ганчев."),
]


@pytest.mark.parametrize("lang,text", NOT_FIGURES, ids=numbered(NOT_FIGURES))
def test_dates_ordinals_and_durations_are_not_figures(request, lang, text):
    claims = claims_of(request.getfixturevalue(lang), text)
    assert claims and all(not c.quantities for c in claims), [(c.sentence, c.quantities) for c in claims]


PLACES = [
    # (language, sentence, mention, canonical name, kind)
    ("ru", "Бои продолжаются в Купянске, сообщили в Минобороны.", "Купянске", "Kupiansk", "city"),
    ("ru", "Войска отошли из Изюма и Балаклеи.", "Изюма", "Izium", "city"),
    ("ru", "Из Харьковской области эвакуировали 10 тысяч человек.", "Харьковской области", "Kharkiv Oblast", "region"),
    ("ru", "Штурмовые группы продвинулись в Красноармейске.", "Красноармейске", "Pokrovsk", "city"),
    ("uk", "Людей вивезли з Вовчанська, повідомив Синєгубов.", "Вовчанська", "Vovchansk", "city"),
    ("uk", "Бої тривають під Ізюмом.", "Ізюмом", "Izium", "city"),
    ("uk", "Окупанти обстріляли Харківщину вночі.", "Харківщину", "Kharkiv Oblast", "region"),
    ("uk", "Сили оборони утримують Куп’янськ.", "Куп’янськ", "Kupiansk", "city"),
]


@pytest.mark.parametrize("lang,sentence,mention,name,kind", PLACES, ids=numbered(PLACES))
def test_places_by_lemma(request, lang, sentence, mention, name, kind):
    nlp = request.getfixturevalue(lang)
    places = nlp(sentence)._.places
    assert any((p.mention, p.name, p.kind) == (mention, name, kind) for p in places), \
        [(p.mention, p.name, p.kind) for p in places]


def test_names_and_common_words_are_not_places(uk, ru):
    for nlp, text in ((uk, "Про це заявив Олександр Сирський. На фронті тяжко."),
                      (ru, "Так заявил Андрей Белоусов. Сырский это опроверг.")):
        assert [p.mention for p in nlp(text)._.places if p.lat is not None] == []


SOURCES = [
    # (language, text, claimant, side, kind, certainty): the claim is the text's last sentence
    ("ru", "Армия России освободила Купянск, сообщило Минобороны России.",
     "Russian Defence Ministry", "RU", "official", "attributed"),
    ("uk", "Армія РФ нібито захопила Куп’янськ, заявили в Міноборони РФ.",
     "Russian Defence Ministry", "RU", "official", "hedged"),
    ("uk", "Захоплення Куп’янська спростували в Генштабі ЗСУ.",
     "General Staff of the Armed Forces of Ukraine", "UA", "official", "disputed"),
    ("ru", "ВСУ якобы отступили от Купянска, сообщил Виталий Ганчев.", "Vitaly Ganchev", "RU", "official", "hedged"),
    ("uk", "«Ситуація в місті під контролем Сил оборони. Просування ворога не зафіксовано», — сказав Олег Синєгубов.",
     "Oleh Syniehubov", "UA", "official", "disputed"),
    ("ru", "Глава Генштаба Валерий Герасимов доложил об освобождении Волчанска.",
     "Valery Gerasimov", "RU", "official", "attributed"),
    ("uk", "Заяви про оточення міста назвали фейком у ХОВА.",
     "Kharkiv Regional Military Administration", "UA", "official", "disputed"),
    ("ru", "По данным Минобороны, войска продвинулись на 5 км.", "Russian Defence Ministry", "RU", "official",
     "attributed"),
    ("uk", "За словами Синєгубова, з міста евакуювали 300 людей.", "Oleh Syniehubov", "UA", "official", "attributed"),
]


@pytest.mark.parametrize("lang,text,claimant,side,kind,certainty", SOURCES, ids=numbered(SOURCES))
def test_sources_and_certainty(request, lang, text, claimant, side, kind, certainty):
    claim = claims_of(request.getfixturevalue(lang), text)[-1]
    c = claim.claimant
    assert (c.name, c.side, c.kind, claim.certainty) == (claimant, side, kind, certainty), (c, claim.certainty)


def test_one_identity_across_languages(ru, uk):
    """Минобороны России = Міноборони РФ = Russian Defence Ministry; a surname in any case form."""
    a = claims_of(ru, "Войска отошли от Изюма, сообщили в Министерстве обороны РФ.")[-1].claimant
    b = claims_of(uk, "Війська відійшли від Ізюма, повідомили у Міноборони Росії.")[-1].claimant
    assert a.actor == b.actor == "Russian Defence Ministry"
    c = claims_of(ru, "По словам Синегубова, эвакуировали 300 человек.")[-1].claimant
    d = claims_of(uk, "За словами Синєгубова, евакуювали 300 людей.")[-1].claimant
    assert c.actor == d.actor == "Oleh Syniehubov"


def test_a_quotation_and_a_back_reference_keep_their_speaker(uk):
    text = ("Російські війська залишили Ізюм. Про це заявив у Telegram Данило Безсонов.\n"
            "«Так, з Ізюма пішли. Звичайно, це погано», — написав він.")
    claims = claims_of(uk, text)
    assert [c.claimant.name for c in claims] == ["Daniil Bezsonov"] * len(claims) and len(claims) >= 2


def test_an_outlets_own_sentence_is_the_outlets(uk):
    claim = only_claim(uk, "Сили оборони звільнили село Гракове на Харківщині.", outlet="RBC-Ukraine")
    assert (claim.claimant.name, claim.claimant.kind, claim.certainty) == ("RBC-Ukraine", "outlet", "asserted")


TYPES = [
    ("ru", "Российские войска освободили село Двуречная, сообщили в Минобороны.", "territory"),
    ("ru", "Принято решение перегруппировать войска в районе Изюма, заявили в Минобороны.", "movement"),
    ("uk", "Внаслідок обстрілу загинули двоє людей, повідомив Синєгубов.", "casualties"),
    ("uk", "З Вовчанська евакуювали 300 жителів, повідомив Синєгубов.", "humanitarian"),
    ("uk", "Ворог завдав ракетного удару по Харкову, повідомив Синєгубов.", "strike"),
]


@pytest.mark.parametrize("lang,text,type_", TYPES, ids=numbered(TYPES))
def test_types(request, lang, text, type_):
    assert claims_of(request.getfixturevalue(lang), text)[-1].type == type_


def test_dates(ru, uk):
    assert [d.text for d in claims_of(ru, "27 октября войска освободили Купянск, сообщили в Минобороны.")[0].dates] \
        == ["27 октября"]
    (claim,) = claims_of(uk, "Вчора ворог обстріляв Харків, повідомив Синєгубов.")
    assert [(d.kind, dict(d.groups)["w"]) for d in claim.dates] == [("rel_day", "yesterday")]


def test_a_surnames_common_word_reading_names_no_one(ru, uk):
    """Песков is also the genitive plural of песок, Умеров a form of умер, ХОВА of ховати: only a
    name's own reading names the actor."""
    claims = claims_of(ru, "Песка и камней на дороге не было, там умер солдат, сообщили в полиции.")
    assert all(c.claimant.actor != "Dmitry Peskov" and c.claimant.actor != "Rustem Umerov" for c in claims)
    assert claims_of(ru, "Заявление сделал Дмитрий Песков, он сообщил об эвакуации 300 человек.")[-1].claimant.actor \
        == "Dmitry Peskov"
    assert all(c.claimant.actor != "Kharkiv Regional Military Administration"
               for c in claims_of(uk, "Люди ховали техніку, повідомили в поліції про обстріл."))
