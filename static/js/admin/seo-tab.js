/* The SEO tab's editor aids (cplatform/seo_panels.py): a character counter under the SEO title and
   search description (the recommended length is advice, not a limit), and the search / share
   preview following what the editor types. Stimulus controllers on Wagtail's own application. */
(() => {
  const wagtail = window.wagtail;
  const Stimulus = window.StimulusModule;
  if (!wagtail || !wagtail.app || !Stimulus) return;

  const ELLIPSIS = "…";

  // The same cut as cplatform/summaries.py `shorten`: at a word, with an ellipsis, within `limit`.
  const shorten = (text, limit) => {
    const clean = (text || "").split(/\s+/).filter(Boolean).join(" ");
    if (clean.length <= limit) return clean;
    let cut = clean.slice(0, limit - ELLIPSIS.length + 1);
    cut = cut.includes(" ") ? cut.slice(0, cut.lastIndexOf(" ")) : cut.slice(0, limit - ELLIPSIS.length);
    return cut.replace(/[\s,;:.\-–—]+$/, "") + ELLIPSIS;
  };

  class LengthController extends Stimulus.Controller {
    static values = {
      recommended: Number,
      text: String,
      advice: String,
      over: String,
    };

    connect() {
      this.counter = document.createElement("p");
      this.counter.className = "cp-length";
      this.counter.id = `${this.element.id || "field"}-length`;
      this.element.insertAdjacentElement("afterend", this.counter);
      const described = (this.element.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      this.element.setAttribute("aria-describedby", [...described, this.counter.id].join(" "));
      this.update = this.update.bind(this);
      this.element.addEventListener("input", this.update);
      this.update();
    }

    disconnect() {
      this.element.removeEventListener("input", this.update);
      this.counter?.remove();
    }

    update() {
      const count = this.element.value.length;
      const over = count > this.recommendedValue;
      const parts = [
        this.textValue.replace("{count}", count),
        this.adviceValue.replace("{recommended}", this.recommendedValue),
      ];
      if (over) parts.push(this.overValue);
      this.counter.textContent = parts.join(" · ");
      this.counter.classList.toggle("cp-length--over", over);
    }
  }

  class SeoPreviewController extends Stimulus.Controller {
    static targets = ["url", "title", "description", "cardTitle", "cardDescription", "image", "noImage", "automaticNote"];
    static values = {
      baseUrl: String,
      pageTitle: String,
      slugInUrl: Boolean,
      automatic: String,
      fallbackImage: String,
      titleLength: Number,
      descriptionLength: Number,
    };

    connect() {
      this.form = this.element.closest("form") || document;
      this.update = this.update.bind(this);
      this.form.addEventListener("input", this.update);
      this.form.addEventListener("change", this.update);
      // The image chooser sets a hidden input from its modal without an input event: watch it.
      this.chooser = this.form.querySelector("#id_share_image-chooser");
      if (this.chooser) {
        this.observer = new MutationObserver(this.update);
        this.observer.observe(this.chooser, { attributes: true, subtree: true, attributeFilter: ["class", "src"] });
      }
      this.update();
    }

    disconnect() {
      this.form.removeEventListener("input", this.update);
      this.form.removeEventListener("change", this.update);
      this.observer?.disconnect();
    }

    // A field's value, or null when the form does not offer it (a read-only slug or title, e.g.
    // on course pages): the server's rendering then stands.
    field(name) {
      const input = this.form.querySelector(`[name="${name}"]`);
      return input ? input.value.trim() : null;
    }

    update() {
      if (this.serverUrl === undefined) this.serverUrl = this.urlTarget.textContent;
      const pageTitle = this.field("title");
      const title = this.field("seo_title") || (pageTitle === null ? this.pageTitleValue : pageTitle);
      const ownDescription = this.field("search_description") || "";
      const description = ownDescription || this.automaticValue;
      const slug = this.field("slug");
      let url = this.serverUrl;
      if (slug !== null) url = this.slugInUrlValue && slug ? `${this.baseUrlValue}${slug}/` : this.baseUrlValue;

      this.urlTarget.textContent = url;
      this.titleTarget.textContent = shorten(title, this.titleLengthValue);
      this.cardTitleTarget.textContent = shorten(title, this.titleLengthValue);
      this.descriptionTarget.textContent = shorten(description, this.descriptionLengthValue);
      this.cardDescriptionTarget.textContent = shorten(description, this.descriptionLengthValue);
      this.automaticNoteTarget.hidden = Boolean(ownDescription);

      let image = this.fallbackImageValue;
      if (this.chooser && !this.chooser.classList.contains("blank")) {
        const chosen = this.chooser.querySelector("img[data-chooser-image]");
        if (chosen && chosen.getAttribute("src")) image = chosen.getAttribute("src");
      }
      if (image) this.imageTarget.setAttribute("src", image);
      this.imageTarget.hidden = !image;
      this.noImageTarget.hidden = Boolean(image);
    }
  }

  wagtail.app.register("cp-length", LengthController);
  wagtail.app.register("cp-seo-preview", SeoPreviewController);
})();
