import type { Metadata } from "next";
import Link from "next/link";
import { signOut } from "@/app/actions/auth";
import { currentEditor } from "@/lib/auth/web";
import "./editor.css";

export const metadata: Metadata = { robots: { index: false } };

export default async function EditorLayout({ children }: { children: React.ReactNode }) {
  const editor = await currentEditor();
  return (
    <div className="editor">
      {editor && (
        <nav aria-label="Editor" className="editor-nav">
          <Link href="/editor">Stories</Link>
          <Link href="/editor/inbox">Inbox</Link>
          <Link href="/editor/watches">Watches</Link>
          <Link href="/editor/audit">Audit</Link>
          <Link href="/editor/tokens">API tokens</Link>
          {editor.role === "admin" && <Link href="/editor/people">People</Link>}
          <form action={signOut}>
            <span className="meta">{editor.email}</span> <button type="submit">Sign out</button>
          </form>
        </nav>
      )}
      {children}
    </div>
  );
}
