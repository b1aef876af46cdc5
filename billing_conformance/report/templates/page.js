(function(){
  const byId=function(id){return document.getElementById(id);};
  const outcome=byId('outcome-filter'),verdict=byId('verdict-filter'),severity=byId('severity-filter'),
        tag=byId('tag-filter'),search=byId('search'),differs=byId('only-differences'),count=byId('visible-count'),
        bar=byId('filters'),fold=byId('filter-fold'),toc=byId('toc-fold');
  const narrow=window.matchMedia('(max-width: 999px)');
  let view='rules',data=null;
  function has(list,value){return list.split(' ').indexOf(value)>=0;}
  function measure(){document.documentElement.style.setProperty('--bar',bar.offsetHeight+'px');}
  function setView(name){
    if(!document.querySelector('.view[data-view="'+name+'"]'))name='rules';
    view=name;
    document.querySelectorAll('.view').forEach(function(v){v.classList.toggle('hidden',v.dataset.view!==name);});
    document.querySelectorAll('.view-button').forEach(function(b){b.setAttribute('aria-pressed',String(b.dataset.view===name));});
  }
  function apply(){
    const o=outcome.value,v=verdict.value,s=severity.value,t=tag.value,
          q=search.value.trim().toLowerCase(),d=differs.checked;
    const scenarioFilter=o||s||t;let rules=0;
    document.querySelectorAll('article.rule').forEach(function(rule){
      const ruleText=rule.dataset.text;
      const ruleOk=(!v||has(rule.dataset.verdicts,v))&&(!d||rule.dataset.differs==='yes');
      let shown=0;
      rule.querySelectorAll('.scenario').forEach(function(run){
        const ok=ruleOk&&(!o||has(run.dataset.outcomes,o))
          &&(!s||run.dataset.severity===s)&&(!t||has(run.dataset.tags,t))
          &&(!q||run.dataset.text.indexOf(q)>=0||ruleText.indexOf(q)>=0);
        run.classList.toggle('hidden',!ok);if(ok)shown++;
        rule.querySelectorAll('tr.example-row[data-run="'+run.id+'"]').forEach(function(tr){tr.classList.toggle('hidden',!ok);});
      });
      rule.querySelectorAll('.scenario-entry').forEach(function(entry){
        entry.classList.toggle('hidden',entry.querySelectorAll('.scenario:not(.hidden)').length===0);});
      const bare=rule.querySelectorAll('.scenario').length===0&&ruleOk&&!scenarioFilter&&(!q||ruleText.indexOf(q)>=0);
      const visible=shown>0||bare;
      rule.classList.toggle('hidden',!visible);if(visible)rules++;
      document.querySelectorAll('#matrix tr[data-rule="'+rule.dataset.rule+'"], table.coverage tr[data-rule="'+rule.dataset.rule+'"], #toc li[data-rule="'+rule.dataset.rule+'"]')
        .forEach(function(row){row.classList.toggle('hidden',!visible);});
    });
    document.querySelectorAll('section.feature').forEach(function(f){
      const any=f.querySelectorAll('article.rule').length;
      f.classList.toggle('hidden',any>0&&f.querySelectorAll('article.rule:not(.hidden)').length===0);});
    count.textContent=rules+(rules===1?' rule':' rules')+' shown';}
  function query(){
    const p=new URLSearchParams();
    if(view!=='rules')p.set('view',view);
    [['outcome',outcome],['verdict',verdict],['severity',severity],['tag',tag]].forEach(function(pair){if(pair[1].value)p.set(pair[0],pair[1].value);});
    if(search.value.trim())p.set('q',search.value.trim());
    if(differs.checked)p.set('differences','1');
    const text=p.toString();return location.pathname+(text?'?'+text:'');
  }
  function remember(replace){
    const url=query();if(url===location.pathname+location.search)return;
    if(replace)history.replaceState(null,'',url);else history.pushState(null,'',url);
  }
  function read(){
    const p=new URLSearchParams(location.search);
    outcome.value=p.get('outcome')||'';verdict.value=p.get('verdict')||'';severity.value=p.get('severity')||'';
    tag.value=p.get('tag')||'';search.value=p.get('q')||'';differs.checked=p.get('differences')==='1'&&!differs.disabled;
    setView(p.get('view')||'rules');apply();
  }
  function exchanges(){
    if(data===null){try{data=JSON.parse(byId('exchange-data').textContent||'{}');}catch(e){data={};}}
    return data;
  }
  function text(tag,content,cls){const e=document.createElement(tag);e.textContent=content;if(cls)e.className=cls;return e;}
  function draw(box){
    const list=box.querySelector('.exchange-list');if(!list||list.dataset.drawn)return;
    list.dataset.drawn='yes';
    const all=exchanges(),groups=((all.runs||{})[box.dataset.run]||{})[box.dataset.targetIndex]||[];
    groups.forEach(function(group){
      list.appendChild(text('h6',group[0]||'Not claimed by a step'));
      group[1].forEach(function(i){
        const e=all.x[i],item=document.createElement('details');item.className='exchange';
        item.appendChild(text('summary',e.method+' '+e.url+' \u2192 '+e.status+' ('+e.operation+')'));
        if(e.deliberate)item.appendChild(text('p','deliberately negative request: '+e.deliberate,'deliberate'));
        item.appendChild(text('pre','request: '+JSON.stringify(e.request_body,null,1)+'\nresponse: '+JSON.stringify(e.response_body,null,1)));
        list.appendChild(item);
      });
    });
  }
  function reveal(){
    if(!location.hash)return;
    let target=null;try{target=byId(decodeURIComponent(location.hash.slice(1)));}catch(e){return;}
    if(!target)return;
    const home=target.closest('.view');
    if(home&&home.dataset.view!==view){setView(home.dataset.view);history.replaceState(null,'',query()+location.hash);}
    for(let e=target;e;e=e.parentElement){if(e.tagName==='DETAILS')e.open=true;}
    measure();target.scrollIntoView({block:'start'});
  }
  [outcome,verdict,severity,tag,differs].forEach(function(e){e.addEventListener('change',function(){apply();remember(false);});});
  search.addEventListener('input',function(){apply();remember(true);});
  search.addEventListener('change',function(){remember(false);});
  document.querySelectorAll('.view-button').forEach(function(b){b.addEventListener('click',function(){
    setView(b.dataset.view);remember(false);window.scrollTo(0,Math.min(window.scrollY,bar.offsetTop));});});
  document.querySelectorAll('details.exchanges').forEach(function(box){box.addEventListener('toggle',function(){if(box.open)draw(box);});});
  document.querySelectorAll('button.copy').forEach(function(b){b.addEventListener('click',function(){
    const found=b.previousElementSibling.textContent;if(navigator.clipboard){navigator.clipboard.writeText(found);}
    b.textContent='copied';});});
  window.addEventListener('popstate',read);
  window.addEventListener('hashchange',reveal);
  window.addEventListener('resize',measure);
  fold.addEventListener('toggle',measure);
  let opened=[];
  window.addEventListener('beforeprint',function(){
    opened=[];
    document.querySelectorAll('details.attention, details.attention details.exchanges, details.attention details.exchange').forEach(function(d){
      if(d.classList.contains('exchanges'))draw(d);
      if(!d.open){d.open=true;opened.push(d);}});
    document.querySelectorAll('details.attention details.exchange').forEach(function(d){if(!d.open){d.open=true;opened.push(d);}});
  });
  window.addEventListener('afterprint',function(){opened.forEach(function(d){d.open=false;});opened=[];});
  read();
  if(narrow.matches){toc.open=false;if(!location.search)fold.open=false;}
  measure();reveal();
})();
