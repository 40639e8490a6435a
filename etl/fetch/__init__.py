"""``etl fetch``: annual reports gathered from agencies' own 年报 columns with Scrapy.

:mod:`.links` tells listing pages, reports and other articles apart; :mod:`.spider` crawls
(with :mod:`.settings` and :mod:`.middlewares`); :mod:`.store` keeps each file as published
with its sidecar; :mod:`.loading` loads them through ``etl add``'s path; :mod:`.summary`
says what happened; :mod:`.cli` is the command.
"""
