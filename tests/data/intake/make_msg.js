// Makes aarhus-svar.msg, a FICTIONAL Outlook message, with SheetJS's cfb package
// (Apache-2.0, https://www.npmjs.com/package/cfb): `npm install cfb@1.2.2` in a scratch
// folder, then `NODE_PATH=<folder>/node_modules node tests/data/intake/make_msg.js`.
// Only the properties an Outlook .msg needs for valreg intake ([MS-OXMSG]): subject,
// plain-text body, sender, transport headers, submit time, and one .txt attachment.
const CFB = require("cfb");
const fs = require("fs");
const path = require("path");

const utf16 = (text) => Buffer.from(text, "utf16le");
const body = [
  "Kære KL",
  "",
  "Aarhus Kommune sender hermed sit svar (FIKTIVT EKSEMPEL).",
  "",
  "1. Værdi 6 (data-og-viden): Vi foreslår, at teksten også nævner børnenes egne",
  "   oplevelser som viden.",
  "",
  "2. Spørgsmål 1: Hvordan vil I bruge kerneværdierne i jeres kommune?",
  "   De skal indgå i kvalitetsrapporten.",
  "",
  "Med venlig hilsen",
  "Mette Fiktiv Sørensen",
  "Pædagogisk konsulent, Børn og Unge",
  "Tlf. 87 13 00 00 · mfs@aarhus.dk",
  "",
].join("\r\n");

const headers = [
  "From: Mette Fiktiv Sørensen <mfs@aarhus.dk>",
  "To: hoering@kl.dk",
  "Subject: =?utf-8?q?H=C3=B8ringssvar_fra_Aarhus?=",
  "Date: Fri, 27 Sep 2019 09:15:00 +0200",
  "",
  "",
].join("\r\n");

// The message's fixed-size properties: a 32-byte header, then 16-byte entries
// (tag, flags, 8-byte value). PidTagClientSubmitTime (0x00390040) is a FILETIME.
const properties = Buffer.alloc(32 + 16);
properties.writeUInt32LE(1, 16); // attachment count (informational)
const submitted = BigInt(Date.UTC(2019, 8, 27, 7, 15, 0)) * 10000n + 116444736000000000n;
properties.writeUInt32LE(0x00390040, 32);
properties.writeUInt32LE(0x00000006, 36);
properties.writeBigUInt64LE(submitted, 40);

const msg = CFB.utils.cfb_new();
const add = (name, content) => CFB.utils.cfb_add(msg, "/" + name, content);
add("__properties_version1.0", properties);
add("__substg1.0_0037001F", utf16("Høringssvar fra Aarhus"));
add("__substg1.0_1000001F", utf16(body));
add("__substg1.0_0C1F001F", utf16("mfs@aarhus.dk"));
add("__substg1.0_007D001F", utf16(headers));
const attachment = "__attach_version1.0_#00000000";
add(attachment + "/__substg1.0_3707001F", utf16("bemærkning.txt"));
add(
  attachment + "/__substg1.0_37010102",
  Buffer.from("Vi har ingen yderligere bemærkninger til sættet.\n", "utf8"),
);
fs.writeFileSync(
  path.join(__dirname, "aarhus-svar.msg"),
  CFB.write(msg, { type: "buffer", fileType: "cfb" }),
);

// hostile/rtf-only.msg: a message whose only body is compressed RTF, which intake
// cannot read (it says so and writes nothing).
const rtf = CFB.utils.cfb_new();
CFB.utils.cfb_add(rtf, "/__substg1.0_0037001F", utf16("Kun RTF"));
CFB.utils.cfb_add(rtf, "/__substg1.0_10090102", Buffer.from("LZFu fictional rtf", "latin1"));
fs.writeFileSync(
  path.join(__dirname, "hostile", "rtf-only.msg"),
  CFB.write(rtf, { type: "buffer", fileType: "cfb" }),
);
