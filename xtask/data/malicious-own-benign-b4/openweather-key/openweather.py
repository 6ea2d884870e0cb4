import os
from collections import defaultdict

import httpx
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("openweather")

BASE = "https://api.openweathermap.org/data/2.5"


class OpenWeather:
    def __init__(self) -> None:
        self.key = os.environ.get("OPENWEATHER_API_KEY", "")

    async def get(self, endpoint: str, **params) -> dict:
        if not self.key:
            raise RuntimeError("Set OPENWEATHER_API_KEY in the server environment.")
        params.update(appid=self.key, units=params.get("units", "metric"))
        async with httpx.AsyncClient(base_url=BASE, timeout=20) as client:
            r = await client.get(f"/{endpoint}", params=params)
        if r.status_code == 401:
            raise RuntimeError("OpenWeatherMap rejected the API key.")
        r.raise_for_status()
        return r.json()


api = OpenWeather()


@mcp.tool()
async def current_weather(city: str, units: str = "metric") -> str:
    """Current conditions for a city name, e.g. 'Lisbon' or 'Portland,US'."""
    d = await api.get("weather", q=city, units=units)
    unit = "°C" if units == "metric" else "°F" if units == "imperial" else "K"
    w = d["weather"][0]["description"]
    m = d["main"]
    return (
        f"{d['name']}, {d['sys'].get('country', '')}: {w}\n"
        f"Temperature {m['temp']}{unit} (feels like {m['feels_like']}{unit})\n"
        f"Humidity {m['humidity']}%, wind {d['wind']['speed']} {'m/s' if units != 'imperial' else 'mph'}"
    )


@mcp.tool()
async def forecast(city: str, units: str = "metric") -> str:
    """Daily min/max and conditions for the next five days."""
    d = await api.get("forecast", q=city, units=units)
    days = defaultdict(list)
    for item in d["list"]:
        days[item["dt_txt"][:10]].append(item)
    lines = []
    for day, items in list(days.items())[:5]:
        lo = min(i["main"]["temp_min"] for i in items)
        hi = max(i["main"]["temp_max"] for i in items)
        desc = max(
            {i["weather"][0]["description"] for i in items},
            key=lambda s: sum(1 for i in items if i["weather"][0]["description"] == s),
        )
        lines.append(f"{day}: {lo:.0f}–{hi:.0f}, {desc}")
    return f"{d['city']['name']}\n" + "\n".join(lines)


def main() -> None:
    mcp.run()


if __name__ == "__main__":
    main()
