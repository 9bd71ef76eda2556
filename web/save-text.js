// Saving a text as a file: a link to a Blob of it, clicked once. The URL is freed a moment later, once the
// browser has started the download.
export function saveText(name, type, text) {
  const link = Object.assign(document.createElement('a'), {href: URL.createObjectURL(new Blob([text], {type})),
    download: name});
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
