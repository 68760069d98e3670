"""Plain constants of the enterprise registry."""

FIRST_REPORTING_YEAR = 2000
LAST_REPORTING_YEAR = 2100

# 1 万元 = 10,000 yuan; the qualification rules are written in 万元, the database stores yuan.
YUAN_PER_WAN = 10_000

# Industrial sections B, C, D of GB/T 4754-2017 (divisions 06-46) make an enterprise "industrial"
# for the above-scale industrial statistics.
INDUSTRIAL_DIVISIONS = frozenset(f"{d:02d}" for d in range(6, 47))

# Certificate validity of a high-tech enterprise: 3 years from the issue date (国科发火〔2016〕32号 第九条).
HIGH_TECH_VALIDITY_YEARS = 3
