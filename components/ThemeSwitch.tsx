"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useId } from "react";
import { useTheme } from "@/app/providers";
import { THEMES, type Theme } from "@/lib/theme/theme";

const OPTIONS: Record<Theme, { label: string; Icon: typeof Sun }> = {
  system: { label: "System", Icon: Monitor },
  light: { label: "Light", Icon: Sun },
  dark: { label: "Dark", Icon: Moon },
};

/** System, light or dark: a radio group (arrow keys move between them), remembered in a cookie. */
export function ThemeSwitch() {
  const { theme, setTheme } = useTheme();
  const name = useId();
  return (
    <fieldset className="inline-flex rounded-md p-0.5 ring-1 ring-inset ring-slate-300">
      <legend className="sr-only">Colour scheme</legend>
      {THEMES.map((value) => {
        const { label, Icon } = OPTIONS[value];
        return (
          <label key={value} title={label} className="relative cursor-pointer">
            <input
              type="radio"
              name={name}
              value={value}
              checked={theme === value}
              onChange={() => setTheme(value)}
              className="peer absolute inset-0 z-10 m-0 h-full w-full cursor-pointer appearance-none opacity-0"
            />
            <span
              className={
                "flex h-7 w-7 items-center justify-center rounded text-slate-600 peer-checked:bg-slate-100 " +
                "peer-checked:text-slate-900 peer-focus-visible:outline peer-focus-visible:outline-2 " +
                "peer-focus-visible:outline-indigo-600"
              }
            >
              <Icon aria-hidden="true" className="h-4 w-4" />
              <span className="sr-only">{label}</span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
