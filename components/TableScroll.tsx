"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Holds a table that may be wider than its card (a phone): it scrolls
 * sideways inside the card, never the page. While it actually scrolls it is
 * a named, focusable region, so keyboard users can scroll it too.
 * `relative` keeps absolutely placed content (a screen-reader-only header)
 * inside the scroller instead of widening the page.
 */
export function TableScroll(props: { label: string; className?: string; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollable, setScrollable] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setScrollable(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={ref}
      className={`relative overflow-x-auto focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${props.className ?? ""}`}
      {...(scrollable ? { tabIndex: 0, role: "region", "aria-label": props.label } : {})}
    >
      {props.children}
    </div>
  );
}
