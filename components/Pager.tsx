import Link from "next/link";
import { buttonClass } from "@/components/ui";

/** Previous / next links under a keyset-paged list; nothing when the list fits on one page. */
export function Pager(props: { links: { next?: string; prev?: string }; label: string }) {
  if (!props.links.next && !props.links.prev) return null;
  return (
    <nav aria-label={`${props.label} pages`} className="mt-4 flex justify-between gap-2">
      {props.links.prev ? (
        <Link href={props.links.prev} className={buttonClass.secondary} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      {props.links.next && (
        <Link href={props.links.next} className={buttonClass.secondary} rel="next">
          Next →
        </Link>
      )}
    </nav>
  );
}
