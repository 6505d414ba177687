import Link from "next/link";

export default function NotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">This page does not exist, or you do not have access to it.</p>
      <Link href="/clouds" className="mt-4 inline-block text-sm font-medium text-indigo-700">
        Back to Clouds
      </Link>
    </div>
  );
}
