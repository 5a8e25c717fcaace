import type { Metadata } from "next";
import Link from "next/link";
import { signOut } from "@/app/actions/auth";
import { currentEditor } from "@/lib/auth/web";
import { SignOut } from "./components/form";
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
          <Link href="/editor/repeats">Likely relays</Link>
          <Link href="/editor/watches">Watches</Link>
          <Link href="/editor/audit">Audit</Link>
          <Link href="/editor/tokens">API tokens</Link>
          {editor.role === "admin" && <Link href="/editor/people">People</Link>}
          {editor.role === "admin" && <Link href="/editor/webhooks">Webhooks</Link>}
          <SignOut action={signOut} email={editor.email} />
        </nav>
      )}
      {children}
    </div>
  );
}
