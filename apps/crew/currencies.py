"""ISO 4217 currency codes accepted in rate profiles.

A fixed list rather than a dependency: the set changes about once a year, and a rate in a
made-up currency ("EURO", "FRF") must be refused at the door, not discovered on an
invoice. Active codes as of 2025, without the fund, precious-metal and testing codes
(XAU, XDR, XTS...), which nobody is paid in.
"""

from __future__ import annotations

_ACTIVE_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV
    WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
ISO_4217_CODES: frozenset[str] = frozenset(_ACTIVE_CODES.split())
DEFAULT_CURRENCY = "EUR"


def is_iso_4217(code: str) -> bool:
    return code in ISO_4217_CODES
